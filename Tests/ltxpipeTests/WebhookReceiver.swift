import Foundation
import Synchronization

/// A loopback HTTP/1.1 server standing in for a pipeline's webhook: it records every request (line, headers,
/// body) and answers them in turn with the scripted statuses, then 200. It serves on a thread of its own, so its
/// blocking socket calls never hold a cooperative thread.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Post: Sendable {
        var requestLine: String
        var headers: [String: String]
        var body: Data
    }

    let port: UInt16
    private let listener: Int32
    private let posts = Mutex<[Post]>([])
    private let statuses: [Int]

    /// Every request received so far.
    var received: [Post] { posts.withLock { $0 } }

    /// Listens on 127.0.0.1 on a free port; the n-th request gets `statuses[n]`, later ones 200.
    init(statuses: [Int] = []) throws {
        self.statuses = statuses
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        Thread { [self] in serve() }.start()
    }

    /// Stops listening.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var headEnd: Int? = nil
        var wanted = Int.max
        while bytes.count < wanted {
            let count = read(client, &chunk, chunk.count)
            guard count > 0 else { break }
            bytes += chunk[0..<count]
            if headEnd == nil, let end = bytes.indices.dropLast(3).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) {
                headEnd = end
                let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                wanted = end + 4 + length
            }
        }
        guard let headEnd else { return }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n").map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let post = Post(requestLine: lines.first ?? "", headers: headers, body: Data(bytes[min(headEnd + 4, bytes.count)...]))
        let index = posts.withLock { list in list.append(post); return list.count - 1 }
        let status = index < statuses.count ? statuses[index] : 200
        let reply = Array("HTTP/1.1 \(status) Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}
