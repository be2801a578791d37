import CCurl

/// A non-zero `CURLcode`, with libcurl's own message for it.
public struct CurlError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The raw CURLcode value.
    public let code: UInt32
    /// What was being done.
    public let operation: String
    /// libcurl's detail from CURLOPT_ERRORBUFFER, when it gave one.
    public let detail: String?

    init(_ code: CURLcode, _ operation: String, detail: String? = nil) {
        self.code = code.rawValue
        self.operation = operation
        self.detail = detail.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `curl_easy_strerror`'s text for the code.
    public var message: String { String(cString: curl_easy_strerror(CURLcode(rawValue: code))) }

    /// `operation: message (detail)`.
    public var description: String {
        "\(operation): \(message)" + (detail.map { " (\($0))" } ?? "")
    }

    /// True when the failure happened before any byte of the request could reach the server.
    public var failedBeforeSending: Bool {
        switch CURLcode(rawValue: code) {
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return true
        default:
            return false
        }
    }

    /// True when the transfer was stopped by our own progress callback (cancellation or a size cap).
    public var abortedByCallback: Bool { code == CURLE_ABORTED_BY_CALLBACK.rawValue || code == CURLE_WRITE_ERROR.rawValue }
}
