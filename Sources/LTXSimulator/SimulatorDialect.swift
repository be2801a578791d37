import Hummingbird

/// Which endpoint a request is, for stats and for the gateway's rules.
enum EndpointKind: Sendable, Equatable {
    /// Creates a generation (charged).
    case submit
    /// Reads one generation.
    case poll
    /// Fetches a video file (no auth, like a CDN).
    case download
    /// A `PUT` to an upload URL (ltx-v2): not an API request, counted apart.
    case upload
    /// Anything else.
    case other
    /// The simulator's own control endpoints (`/_simulator/...`): never counted, never limited.
    case control
}

/// One wire protocol: which paths it owns, how its errors look, and the routes themselves.
///
/// Jobs, limits, credits, faults, downloads and the video cache are shared by all dialects, and one server serves
/// every dialect at once (their routes do not collide); ``SimulatorDialects`` picks the one that owns a path.
protocol SimulatorDialect: Sendable {
    /// The path clients append to the origin to form their base URL (`/v1` for generations, empty for ltx-v2).
    var basePath: String { get }
    /// Whether `path` (normalised) belongs to this dialect: its routes, its error body.
    func owns(_ path: String) -> Bool
    /// Classifies a request for stats.
    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind
    /// Renders an error in the dialect's body shape (status and extra headers included).
    func errorResponse(_ error: SimulatorError) -> Response
    /// Adds the dialect's API routes.
    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment)
}

extension SimulatorDialect {
    /// Classifies the dialect-independent paths: `/files/...` downloads and `/_simulator/...` controls.
    func commonEndpoint(method: HTTPRequest.Method, path: String) -> EndpointKind? {
        if path.hasPrefix("/_simulator/") || path == "/_simulator" { return .control }
        if path.hasPrefix("/files/") { return method == .get || method == .head ? .download : .other }
        return nil
    }
}

/// A dialect served under a path prefix of its own (`/v1`, `/fal`, `/replicate`, ...): clients' base URL is that
/// prefix, and it owns the prefix and everything below it.
protocol PrefixedDialect: SimulatorDialect {
    /// The first path segment of every route, with its leading slash.
    static var prefix: String { get }
}

extension PrefixedDialect {
    var basePath: String { Self.prefix }

    func owns(_ path: String) -> Bool {
        SimulatorDialects.isUnder(Self.prefix, path)
    }
}

/// The dialects one server serves, in the order they claim paths, and the one that speaks for unowned paths.
struct SimulatorDialects: Sendable {
    /// Checked in order: the first that owns a path answers for it.
    let members: [any SimulatorDialect]
    /// Answers for paths no member owns (`/files/...`, unknown roots): the configured dialect.
    let fallback: any SimulatorDialect

    /// The dialect answering for `path`.
    func dialect(for path: String) -> any SimulatorDialect {
        members.first { $0.owns(path) } ?? fallback
    }

    /// Whether `path` is part of the Bearer-authenticated, rate-limited API: everything under `/v1` and `/v2`, and the
    /// providers that take a Bearer key (`/replicate`, `/wavespeed`, `/apifree`). fal authenticates its own routes (`Key`).
    static func isAPIPath(_ path: String) -> Bool {
        ["/v1", "/v2", ReplicateDialect.prefix, WaveSpeedDialect.prefix, APIFreeDialect.prefix].contains { isUnder($0, path) }
    }

    /// Whether `path` is `prefix` itself or lies below it (`/fal/x`, not `/falcon`).
    static func isUnder(_ prefix: String, _ path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }
}
