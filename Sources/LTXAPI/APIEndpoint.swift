import Foundation

/// Where a client talks to: the base URL (the only origin that receives the key), the key, the protocol and how
/// fast time runs. The command line composes it (starting an in-process simulator when asked); libraries take it
/// as a value.
public struct APIEndpoint: Sendable {
    /// The API's base URL.
    public var base: URL
    /// The key, sent to `base`'s origin only.
    public var apiKey: String?
    /// The wire protocol.
    public var dialect: DialectName
    /// Real seconds per nominal second (1 against a real service).
    public var timeScale: Double

    /// Creates an endpoint.
    public init(base: URL, apiKey: String?, dialect: DialectName, timeScale: Double = 1) {
        self.base = base
        self.apiKey = apiKey
        self.dialect = dialect
        self.timeScale = timeScale
    }

    /// The environment variable that holds the key for `dialect`'s service.
    public static func keyVariable(for dialect: DialectName) -> String { dialect.keyVariable }

    /// An endpoint for a real service at `base` (an http(s) URL; the dialect's base variable, `LTX_API_BASE` for
    /// LTX's dialects, overrides it), with the key from the dialect's own variable.
    public static func resolve(base: String, dialect: DialectName, environment: [String: String], timeScale: Double = 1) throws(EndpointError) -> APIEndpoint {
        let chosen = dialect.environmentBase(environment) ?? base
        guard let url = URL(string: chosen), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw EndpointError(description: "API base \(chosen) is not an http(s) URL")
        }
        let variable = keyVariable(for: dialect)
        let key = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        guard key != nil || !dialect.requiresKey else {
            throw EndpointError(description: "\(variable) is not set: export your API key (or use the simulator)")
        }
        return APIEndpoint(base: url, apiKey: key, dialect: dialect, timeScale: timeScale)
    }
}

/// An endpoint that cannot be used: no key, or a base that is not an http(s) URL.
public struct EndpointError: Error, CustomStringConvertible, Sendable {
    /// One line a user can act on.
    public var description: String

    /// Creates the error.
    public init(description: String) { self.description = description }
}
