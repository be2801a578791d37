import Foundation

/// One part of a multipart/form-data body.
public enum MultipartPart: Sendable, Equatable {
    /// A text field.
    case field(name: String, value: String)
    /// A file streamed from disk.
    case file(name: String, path: String, filename: String, contentType: String)
}

/// An HTTP request, built by a dialect and sent by `HTTPClient`.
public struct HTTPRequest: Sendable {
    /// What the request carries as its body.
    public enum Body: Sendable {
        /// No body.
        case none
        /// Raw bytes with a content type.
        case data(Data, contentType: String)
        /// A multipart/form-data body.
        case multipart([MultipartPart])
        /// A file's bytes streamed from disk (for PUT uploads).
        case file(path: String, contentType: String?)
    }

    /// `GET`, `POST`, `PUT`, ...
    public var method: String
    /// Absolute http(s) URL.
    public var url: URL
    /// Header fields, sent in order.
    public var headers: [(String, String)]
    /// The body.
    public var body: Body
    /// Longest the whole request may take, in seconds (nil: the client's `requestTimeout`).
    public var timeout: Double?

    /// Creates a request.
    public init(method: String, url: URL, headers: [(String, String)] = [], body: Body = .none, timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.timeout = timeout
        self.headers = headers
        self.body = body
    }

    /// A JSON request.
    public static func json(_ method: String, _ url: URL, _ object: [String: Any]) throws -> HTTPRequest {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return HTTPRequest(method: method, url: url, headers: [], body: .data(data, contentType: "application/json"))
    }
}

/// How long an exchange took, in seconds.
public struct HTTPTimings: Sendable, Codable, Equatable {
    /// Until the connection was up.
    public var connect: Double
    /// Until the first response byte.
    public var firstByte: Double
    /// The whole exchange.
    public var total: Double
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields with lower-cased names (the last value wins).
    public var headers: [String: String]
    /// The body bytes.
    public var body: Data
    /// Timings of the exchange.
    public var timings: HTTPTimings

    /// The server's `x-request-id`, when it sent one.
    public var requestID: String? { headers["x-request-id"] }

    /// `Retry-After` in seconds (delta-seconds form), when present.
    public var retryAfter: Double? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }
}

/// A failed HTTP exchange: nothing usable came back.
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    /// Why it failed.
    public enum Kind: Sendable, Equatable {
        /// libcurl reported a transport failure.
        case transport(CurlError)
        /// The task was cancelled.
        case cancelled
        /// The response was bigger than allowed.
        case tooLarge(limit: Int64)
        /// The URL is not http(s).
        case forbiddenScheme(String)
        /// A download's length disagrees with what the server announced.
        case lengthMismatch(expected: Int64, received: Int64)
        /// The server answered a download with a non-success status.
        case status(Int)
        /// A local file could not be read or written.
        case file(String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The URL (without query string) it concerns.
    public var url: String
    /// True when request bytes may have reached the server (its outcome is then unknown).
    public var requestMayHaveBeenSent: Bool

    /// One line naming the URL and the reason.
    public var description: String {
        switch kind {
        case .transport(let error): return "\(url): \(error.message)" + (error.detail.map { " (\($0))" } ?? "")
        case .cancelled: return "\(url): cancelled"
        case .tooLarge(let limit): return "\(url): response larger than the \(limit)-byte limit"
        case .forbiddenScheme(let scheme): return "\(url): only http and https URLs are fetched, not \(scheme)"
        case .lengthMismatch(let expected, let received): return "\(url): received \(received) bytes, server announced \(expected)"
        case .status(let status): return "\(url): HTTP \(status)"
        case .file(let reason): return "\(url): \(reason)"
        }
    }
}

extension URL {
    /// The URL without query or fragment, safe to print (signed URLs carry secrets in the query).
    var redacted: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else { return "(url)" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "(url)"
    }

    /// `scheme://host:port`, lower-cased, for same-origin checks.
    var origin: String {
        let scheme = (self.scheme ?? "").lowercased()
        let host = (self.host ?? "").lowercased()
        let port = self.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
