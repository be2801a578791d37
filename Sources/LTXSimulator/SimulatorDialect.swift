import Hummingbird

/// Which endpoint a request is, for stats and for the gateway's rules.
enum EndpointKind: Sendable, Equatable {
    /// Creates a generation (charged).
    case submit
    /// Reads one generation.
    case poll
    /// Fetches a video file (no auth, like a CDN).
    case download
    /// Anything else.
    case other
    /// The simulator's own control endpoints (`/_simulator/...`): never counted, never limited.
    case control
}

/// One wire protocol: which paths are the authenticated API, how errors look, and the routes themselves.
///
/// Jobs, limits, credits, faults, downloads and the video cache are shared by all dialects; a new dialect
/// (`ltx-v2`) is a new type conforming to this protocol.
protocol SimulatorDialect: Sendable {
    /// The path clients append to the origin to form their base URL (`/v1` for generations).
    var basePath: String { get }
    /// Whether `path` is part of the authenticated, rate-limited API.
    func isAPIPath(_ path: String) -> Bool
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
