import CCurl
import Foundation
import Synchronization

/// A flag set from any thread to stop a transfer at its next progress callback.
final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// The state one transfer's libcurl callbacks fill in; lives on the transfer's thread only.
final class TransferState {
    var status = 0
    var headers: [String: String] = [:]
    var body = Data()
    var received: Int64 = 0
    let bodyLimit: Int64
    /// Receives body bytes instead of `body`; returns false to abort the transfer.
    var sink: ((UnsafeRawBufferPointer) -> Bool)?
    /// Called once the response headers are complete, before the first body byte; false aborts.
    var onHeaders: ((TransferState) -> Bool)?
    var headersDone = false
    var exceededLimit = false
    var sinkFailed = false
    var uploadFile: FileHandle?
    let cancellation: CancellationFlag

    init(bodyLimit: Int64, cancellation: CancellationFlag) {
        self.bodyLimit = bodyLimit
        self.cancellation = cancellation
    }

    fileprivate static func from(_ pointer: UnsafeMutableRawPointer?) -> TransferState? {
        pointer.map { Unmanaged<TransferState>.fromOpaque($0).takeUnretainedValue() }
    }
}

private let writeCallback: ltx_curl_data_callback = { buffer, size, count, userData in
    let length = size * count
    guard let state = TransferState.from(userData), let buffer else { return 0 }
    if !state.headersDone {
        state.headersDone = true
        if let onHeaders = state.onHeaders, !onHeaders(state) { state.sinkFailed = true; return 0 }
    }
    state.received += Int64(length)
    if state.received > state.bodyLimit {
        state.exceededLimit = true
        return 0
    }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    if let sink = state.sink {
        if !sink(bytes) { state.sinkFailed = true; return 0 }
    } else {
        state.body.append(contentsOf: bytes)
    }
    return length
}

private let headerCallback: ltx_curl_data_callback = { buffer, size, count, userData in
    let length = size * count
    guard let state = TransferState.from(userData), let buffer else { return 0 }
    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        state.headers = [:]
        let parts = line.split(separator: " ")
        if parts.count >= 2, let code = Int(parts[1]) { state.status = code }
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        state.headers[name] = value
    }
    return length
}

private let readCallback: ltx_curl_data_callback = { buffer, size, count, userData in
    guard let state = TransferState.from(userData), let buffer, let file = state.uploadFile else { return 0 }
    do {
        guard let data = try file.read(upToCount: size * count), !data.isEmpty else { return 0 }
        data.copyBytes(to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: data.count)
        return data.count
    } catch {
        return Int(CURL_READFUNC_ABORT)
    }
}

private let progressCallback: ltx_curl_progress_callback = { userData, _, _, _, _ in
    guard let state = TransferState.from(userData) else { return 1 }
    return state.cancellation.isRaised ? 1 : 0
}

/// Settings shared by every transfer of a client.
public struct HTTPClientConfiguration: Sendable {
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double = 15
    /// Abort when fewer than `lowSpeedBytes` per second arrive for `lowSpeedSeconds`.
    public var lowSpeedSeconds: Int = 60
    /// See `lowSpeedSeconds`.
    public var lowSpeedBytes: Int = 1
    /// Redirects followed by downloads (API calls never follow redirects).
    public var maxRedirects: Int = 5
    /// Longest a whole request may take, in seconds, unless the request sets its own `timeout` (a server that sends
    /// one byte a second cannot hold a request without end).
    public var requestTimeout: Double = 300
    /// Largest API response body accepted.
    public var maxResponseBytes: Int64 = 16 << 20
    /// `User-Agent` header.
    public var userAgent: String = "ltxpipe/0.1"

    /// Default settings.
    public init() {}
}

/// Runs one libcurl transfer synchronously on the calling thread.
enum HTTPTransfer {
    struct Options {
        var followRedirects = false
        var resumeFrom: Int64 = 0
        /// libcurl's receive buffer; large for downloads so each write and hash update covers more bytes.
        var bufferSize: Int? = nil
    }

    static func perform(_ request: HTTPRequest, configuration: HTTPClientConfiguration, options: Options, state: TransferState) throws(HTTPError) -> HTTPTimings {
        let url = request.url
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw HTTPError(kind: .forbiddenScheme(scheme.isEmpty ? "(none)" : scheme), url: url.redacted, requestMayHaveBeenSent: false)
        }
        let easy: CurlEasy
        do {
            easy = try CurlEasy()
            try configure(easy, request, configuration, options, state)
        } catch {
            throw HTTPError(kind: .transport(error), url: url.redacted, requestMayHaveBeenSent: false)
        }
        let unmanaged = Unmanaged.passRetained(state)
        defer { unmanaged.release() }
        do {
            try easy.set(userData: unmanaged.toOpaque())
            try easy.perform()
        } catch {
            let sent = !error.failedBeforeSending && easy.info(long: CURLINFO_REQUEST_SIZE) > 0
            if state.cancellation.isRaised { throw HTTPError(kind: .cancelled, url: url.redacted, requestMayHaveBeenSent: sent) }
            if state.exceededLimit { throw HTTPError(kind: .tooLarge(limit: state.bodyLimit), url: url.redacted, requestMayHaveBeenSent: sent) }
            throw HTTPError(kind: .transport(error), url: url.redacted, requestMayHaveBeenSent: sent)
        }
        if state.status == 0 { state.status = easy.info(long: CURLINFO_RESPONSE_CODE) }
        if !state.headersDone, let onHeaders = state.onHeaders {
            state.headersDone = true
            _ = onHeaders(state)
        }
        return HTTPTimings(
            connect: Double(easy.info(offset: CURLINFO_CONNECT_TIME_T)) / 1_000_000,
            firstByte: Double(easy.info(offset: CURLINFO_STARTTRANSFER_TIME_T)) / 1_000_000,
            total: Double(easy.info(offset: CURLINFO_TOTAL_TIME_T)) / 1_000_000
        )
    }

    private static func configure(_ easy: CurlEasy, _ request: HTTPRequest, _ configuration: HTTPClientConfiguration, _ options: Options, _ state: TransferState) throws(CurlError) {
        try easy.set(CURLOPT_URL, request.url.absoluteString, "CURLOPT_URL")
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR")
        try easy.set(CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0, "CURLOPT_FOLLOWLOCATION")
        try easy.set(CURLOPT_MAXREDIRS, configuration.maxRedirects, "CURLOPT_MAXREDIRS")
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000), "CURLOPT_CONNECTTIMEOUT_MS")
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedBytes, "CURLOPT_LOW_SPEED_LIMIT")
        try easy.set(CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedSeconds, "CURLOPT_LOW_SPEED_TIME")
        try easy.set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent, "CURLOPT_USERAGENT")
        try easy.set(CURLOPT_NOPROXY, noProxyList(), "CURLOPT_NOPROXY")
        try easy.set(writeFunction: writeCallback, headerFunction: headerCallback, progress: progressCallback)
        if options.resumeFrom > 0 { try easy.set(CURLOPT_RESUME_FROM_LARGE, offset: options.resumeFrom, "CURLOPT_RESUME_FROM_LARGE") }
        if let size = options.bufferSize { try easy.set(CURLOPT_BUFFERSIZE, size, "CURLOPT_BUFFERSIZE") }
        let deadline = request.timeout ?? configuration.requestTimeout
        if deadline > 0, deadline.isFinite { try easy.set(CURLOPT_TIMEOUT_MS, Int(min(deadline, 86_400) * 1000), "CURLOPT_TIMEOUT_MS") }

        var headers = request.headers
        switch request.body {
        case .none where request.method == "POST":
            // An empty POST: `Content-Length: 0` and no content type (curl would add a form one).
            try easy.set(CURLOPT_POST, 1, "CURLOPT_POST")
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: 0, "CURLOPT_POSTFIELDSIZE_LARGE")
            try easy.set(CURLOPT_COPYPOSTFIELDS, "", "CURLOPT_COPYPOSTFIELDS")
            headers.append(("Content-Type", ""))
        case .none:
            if request.method != "GET" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method, "CURLOPT_CUSTOMREQUEST") }
        case .data(let data, let contentType):
            headers.append(("Content-Type", contentType))
            try easy.set(CURLOPT_POST, 1, "CURLOPT_POST")
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(data.count), "CURLOPT_POSTFIELDSIZE_LARGE")
            try easy.set(CURLOPT_COPYPOSTFIELDS, String(decoding: data, as: UTF8.self), "CURLOPT_COPYPOSTFIELDS")
            if request.method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method, "CURLOPT_CUSTOMREQUEST") }
        case .multipart(let parts):
            try easy.set(multipart: parts)
            if request.method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method, "CURLOPT_CUSTOMREQUEST") }
        case .file(let path, let contentType):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CurlError(CURLE_READ_ERROR, "opening \(path)") }
            state.uploadFile = handle
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            try easy.set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: size, "CURLOPT_INFILESIZE_LARGE")
            try easy.set(readFunction: readCallback)
            if let contentType { headers.append(("Content-Type", contentType)) }
            if request.method != "PUT" { try easy.set(CURLOPT_CUSTOMREQUEST, request.method, "CURLOPT_CUSTOMREQUEST") }
        }
        headers.append(("Expect", ""))
        try easy.set(headers: headers)
    }

    /// `no_proxy` from the environment plus loopback, so a proxy setting never captures the local simulator.
    private static func noProxyList() -> String {
        let environment = ProcessInfo.processInfo.environment
        let configured = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
        return ([configured, "127.0.0.1", "localhost", "::1"].filter { !$0.isEmpty }).joined(separator: ",")
    }
}
