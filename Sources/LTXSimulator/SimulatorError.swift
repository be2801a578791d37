import Hummingbird

/// An API error the simulator answers with: a status, a machine type and a message a user can act on.
///
/// Each dialect renders it in its own error body; the generations dialect writes
/// `{"error":{"type":"<type>","message":"<text>"}}`.
struct SimulatorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, independent of the dialect; each dialect names it in its own vocabulary.
    enum Kind: Sendable, Equatable {
        case invalidRequest
        case unauthorized
        case insufficientCredits
        case notFound
        case fileTooLarge
        case unsupportedFormat
        case rangeNotSatisfiable
        /// The rolling request window is used up (429).
        case rateLimited
        /// Too many requests in flight (429; ltx-v2 calls it `rate_limit_error`: it is not the generations limit).
        case concurrencyLimited
        /// The account already runs its most generations at once (429 `concurrency_limit_error`, ltx-v2).
        case generationsLimited
        /// Refused by the safety filter (422 in the ltx-v2 dialect).
        case contentFiltered
        case serverError
        case unavailable
        /// 504.
        case gatewayTimeout
        /// 529.
        case overloaded

        /// The generations dialect's machine type.
        var generationsType: String {
            switch self {
            case .invalidRequest: return "invalid_request"
            case .unauthorized: return "unauthorized"
            case .insufficientCredits: return "insufficient_credits"
            case .notFound: return "not_found"
            case .fileTooLarge: return "file_too_large"
            case .unsupportedFormat: return "unsupported_format"
            case .rangeNotSatisfiable: return "range_not_satisfiable"
            case .rateLimited, .concurrencyLimited, .generationsLimited: return "rate_limited"
            case .contentFiltered: return "content_filtered"
            case .serverError: return "server_error"
            case .unavailable: return "unavailable"
            case .gatewayTimeout: return "gateway_timeout"
            case .overloaded: return "overloaded"
            }
        }

        /// The HTTP status that goes with the type (the generations dialect's; ltx-v2 sends formats as 400).
        var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest: return .badRequest
            case .unauthorized: return .unauthorized
            case .insufficientCredits: return HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
            case .notFound: return .notFound
            case .fileTooLarge: return .contentTooLarge
            case .unsupportedFormat, .contentFiltered: return .unprocessableContent
            case .rangeNotSatisfiable: return .rangeNotSatisfiable
            case .rateLimited, .concurrencyLimited, .generationsLimited: return .tooManyRequests
            case .serverError: return .internalServerError
            case .unavailable: return .serviceUnavailable
            case .gatewayTimeout: return .gatewayTimeout
            case .overloaded: return HTTPResponse.Status(code: 529, reasonPhrase: "Site is overloaded")
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

    var description: String { "\(status.code) \(kind.generationsType): \(message)" }

    /// 400 with `message`.
    static func invalid(_ message: String) -> SimulatorError { SimulatorError(.invalidRequest, message) }

    /// 401, the body the contract fixes.
    static let unauthorized = SimulatorError(.unauthorized, "invalid API key")

    /// 429, 503 or 529 with a `Retry-After` header.
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
