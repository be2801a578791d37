import Foundation
import Synchronization

/// A loopback HTTP/1.1 server that answers each request with whatever the test scripts (a malicious API): one
/// connection at a time, `Connection: close`, request lines recorded so a test can say what the client sent.
final class ScriptedServer: Sendable {
    /// The answer to one request: status, body (JSON text), extra headers.
    struct Answer: Sendable {
        var status: Int
        var body: String
        var headers: [(String, String)] = []
    }

    let port: UInt16
    private let socketFD: Int32
    private let seen = Mutex<[String]>([])
    private let exchanges = Mutex<[Exchange]>([])
    private let script: @Sendable (_ method: String, _ path: String) -> Answer

    /// One request as received: its line, its headers (names lower-cased) and its body.
    struct Exchange: Sendable {
        var requestLine: String
        var headers: [String: String]
        var body: Data
    }

    /// Every request received so far, whole.
    var received: [Exchange] { exchanges.withLock { $0 } }

    /// Request lines received so far (`GET /v1/generations/x`).
    var requests: [String] { seen.withLock { $0 } }
    /// Base URL of the API the server plays (`http://127.0.0.1:PORT/v1`).
    var base: URL { URL(string: "http://127.0.0.1:\(port)/v1") ?? URL(fileURLWithPath: "/") }

    init(_ script: @escaping @Sendable (_ method: String, _ path: String) -> Answer) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stops accepting connections. The socket is closed by the serving thread once its `accept` fails, never here:
    /// closing it here would free the descriptor number for the next server while this thread may still call `accept`
    /// on it, and this script would then answer that server's requests.
    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
    }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                close(socketFD)
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        while headEnd == nil {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            received += buffer[0..<count]
            headEnd = received.indices.dropLast(3).first { received[$0] == 13 && received[$0 + 1] == 10 && received[$0 + 2] == 13 && received[$0 + 3] == 10 }
        }
        let head = String(decoding: received[..<(headEnd ?? 0)], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let requestLine = lines.first.map(String.init) ?? ""
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }.first ?? 0
        var body = received.count - (headEnd ?? 0) - 4
        while body < length {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
            body += count
        }
        seen.withLock { $0.append(requestLine.split(separator: " ").prefix(2).joined(separator: " ")) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let bodyStart = min((headEnd ?? 0) + 4, received.count)
        let exchange = Exchange(requestLine: requestLine, headers: headers, body: Data(received[bodyStart...]))
        exchanges.withLock { $0.append(exchange) }
        let parts = requestLine.split(separator: " ")
        let answer = script(parts.first.map(String.init) ?? "", parts.count > 1 ? String(parts[1]) : "")
        var text = "HTTP/1.1 \(answer.status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(answer.body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in answer.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n" + answer.body
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
