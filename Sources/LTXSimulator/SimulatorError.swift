import Hummingbird

/// An API error the simulator answers with: a status, a machine type and a message a user can act on.
///
/// Each dialect renders it in its own error body; the generations dialect writes
/// `{"error":{"type":"<type>","message":"<text>"}}`.
struct SimulatorError: Error, Sendable, CustomStringConvertible {
    /// The machine-readable error types of the generations dialect.
    enum Kind: String, Sendable {
        case invalidRequest = "invalid_request"
        case unauthorized
        case insufficientCredits = "insufficient_credits"
        case notFound = "not_found"
        case fileTooLarge = "file_too_large"
        case unsupportedFormat = "unsupported_format"
        case rangeNotSatisfiable = "range_not_satisfiable"
        case rateLimited = "rate_limited"
        case serverError = "server_error"
        case unavailable

        /// The HTTP status that goes with the type.
        var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest: return .badRequest
            case .unauthorized: return .unauthorized
            case .insufficientCredits: return HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
            case .notFound: return .notFound
            case .fileTooLarge: return .contentTooLarge
            case .unsupportedFormat: return .unprocessableContent
            case .rangeNotSatisfiable: return .rangeNotSatisfiable
            case .rateLimited: return .tooManyRequests
            case .serverError: return .internalServerError
            case .unavailable: return .serviceUnavailable
            }
        }
    }

    /// The error type.
    let kind: Kind
    /// The human-readable message.
    let message: String
    /// Extra headers (Retry-After, Content-Range).
    var headers: HTTPFields

    init(_ kind: Kind, _ message: String, headers: HTTPFields = [:]) {
        self.kind = kind
        self.message = message
        self.headers = headers
    }

    /// The HTTP status.
    var status: HTTPResponse.Status { kind.status }

    var description: String { "\(status.code) \(kind.rawValue): \(message)" }

    /// 400 with `message`.
    static func invalid(_ message: String) -> SimulatorError { SimulatorError(.invalidRequest, message) }

    /// 401, the body the contract fixes.
    static let unauthorized = SimulatorError(.unauthorized, "invalid API key")

    /// 429 or 503 with a `Retry-After` header.
    static func retryLater(_ kind: Kind, _ message: String, after seconds: Int) -> SimulatorError {
        SimulatorError(kind, message, headers: [.retryAfter: String(max(0, seconds))])
    }
}

/// Thrown from a response body writer to drop the connection mid-response (the `resetAfterSubmit` and
/// `truncatedDownloads` faults): Hummingbird closes the channel when the body writer fails.
struct SimulatedConnectionDrop: Error, CustomStringConvertible {
    /// Which fault dropped it.
    let fault: String

    var description: String { "connection dropped on purpose (\(fault) fault)" }
}
