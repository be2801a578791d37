import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP response as it arrived on the wire, including incomplete ones.
struct HTTPReply: Sendable {
    /// Status code, 0 when no complete head arrived.
    var status: Int
    /// Header values by lower-cased name.
    var headers: [String: String]
    /// Body bytes received (at most the declared length).
    var body: [UInt8]
    /// The Content-Length the server announced.
    var declaredLength: Int?
    /// True when the head and the whole announced body arrived.
    var complete: Bool

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    /// `error.type` / `error.message` of an error body.
    var errorType: String? { (json["error"] as? [String: Any])?["type"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A tiny blocking HTTP/1.1 client over a raw TCP socket, one connection per request (`Connection: close`),
/// run on its own thread. It reports truncated bodies and dropped connections instead of hiding them, which is
/// what the fault tests need, and it never retries.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends one request to `url` (http only).
    static func send(_ method: String, _ url: URL, headers: [String: String] = [:], body: [UInt8] = []) async throws -> HTTPReply {
        guard let host = url.host, let port = url.port else { throw Failure(description: "bad URL \(url)") }
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try exchange(host: host, port: port, request: request))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func exchange(host: String, port: Int, request: [UInt8]) throws -> HTTPReply {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)  // generous: a download may wait for a render on a loaded machine
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if !os(Linux)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr(host == "localhost" ? "127.0.0.1" : host))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to \(host):\(port): \(String(cString: strerror(errno)))") }

        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var sent = 0
        request.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            while sent < bytes.count {
                let n = sendBytes(fd, base + sent, bytes.count - sent, flags)
                if n <= 0 { break }  // the server may answer early and stop reading; read what it said
                sent += n
            }
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }  // EOF, reset or timeout: whatever arrived is the reply
            received.append(contentsOf: buffer[0..<n])
        }
        return parse(received)
    }

    static func parse(_ bytes: [UInt8]) -> HTTPReply {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = firstIndex(of: separator, in: bytes) else {
            return HTTPReply(status: 0, headers: [:], body: [], declaredLength: nil, complete: false)
        }
        let headText = String(decoding: bytes[0..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        let declared = headers["content-length"].flatMap { Int($0) }
        var complete = true
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            (body, complete) = dechunk(body)
        } else if let declared {
            complete = body.count >= declared
            if body.count > declared { body = Array(body[0..<declared]) }
        }
        return HTTPReply(status: status, headers: headers, body: body, declaredLength: declared, complete: complete)
    }

    private static func dechunk(_ data: [UInt8]) -> ([UInt8], Bool) {
        var output: [UInt8] = []
        var index = 0
        while let lineEnd = firstIndex(of: [13, 10], in: data, from: index) {
            let sizeText = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return (output, false) }
            if size == 0 { return (output, true) }
            let start = lineEnd + 2
            guard start + size <= data.count else {
                output += data[start...]
                return (output, false)
            }
            output += data[start..<(start + size)]
            index = start + size + 2
        }
        return (output, false)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for i in start...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

private func sendBytes(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
    send(fd, pointer, count, flags)
}
