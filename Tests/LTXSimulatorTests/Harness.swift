import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

/// One running simulator for one test, with helpers to talk to it over real HTTP.
struct Harness {
    /// One cache folder for the whole test process, so every test shares the renders of each shape.
    /// Per process (so every run really renders); folders left by test processes that no longer exist are removed.
    static let cacheDirectory: String = {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("ltxsim-tests-") {
            if let pid = Int32(name.dropFirst("ltxsim-tests-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
        return temporary.appendingPathComponent("ltxsim-tests-\(getpid())", isDirectory: true).path
    }()

    /// The package root (Tests/LTXSimulatorTests/Harness.swift → ../../).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repoRoot.appendingPathComponent("fixtures/media/\(name)")))
    }

    let server: SimulatorServer
    /// `http://127.0.0.1:PORT/v1`.
    let base: URL
    /// `http://127.0.0.1:PORT`.
    let origin: URL
    let key: String

    /// Runs `body` against a fresh simulator (shared cache folder, test-friendly defaults), stopping it afterwards.
    static func with(
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> Void
    ) async throws {
        var configuration = SimulatorConfiguration(fastLatency: 0...0, proLatency: 0...0, cacheDirectory: cacheDirectory)
        configure(&configuration)
        let server = SimulatorServer(configuration: configuration)
        let base = try await server.start()
        var origin = base.absoluteString
        if origin.hasSuffix("/v1") { origin.removeLast(3) }
        let harness = Harness(server: server, base: base, origin: URL(string: origin) ?? base, key: configuration.apiKey)
        do {
            try await body(harness)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func url(_ path: String) -> URL {
        // `path` starts with "/v1/..." or "/files/..." or "/_simulator/...".
        URL(string: origin.absoluteString + path) ?? origin
    }

    /// The Authorization header a request carries.
    enum Credentials {
        /// `Bearer <configured key>`.
        case valid
        /// No Authorization header.
        case none
        /// This exact header value.
        case header(String)
    }

    func auth(_ credentials: Credentials) -> [String: String] {
        switch credentials {
        case .valid: return ["Authorization": "Bearer \(key)"]
        case .none: return [:]
        case .header(let value): return ["Authorization": value]
        }
    }

    /// POSTs a JSON body (given as text, sent verbatim).
    func submit(_ mode: String = "text-to-video", json: String, credentials: Credentials = .valid) async throws -> HTTPReply {
        var headers = auth(credentials)
        headers["Content-Type"] = "application/json"
        return try await RawHTTP.send("POST", url("/v1/generations/\(mode)"), headers: headers, body: Array(json.utf8))
    }

    /// POSTs a multipart body with text fields and file parts.
    func submitMultipart(_ mode: String, fields: [(String, String)], files: [MultipartFile]) async throws -> HTTPReply {
        let boundary = "----ltxsim-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8)
            body += file.bytes
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers = auth(.valid)
        headers["Content-Type"] = "multipart/form-data; boundary=\"\(boundary)\""
        return try await RawHTTP.send("POST", url("/v1/generations/\(mode)"), headers: headers, body: body)
    }

    func poll(_ id: String, credentials: Credentials = .valid) async throws -> HTTPReply {
        try await RawHTTP.send("GET", url("/v1/generations/\(id)"), headers: auth(credentials))
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        try await RawHTTP.send("GET", url(path), headers: headers)
    }

    /// Downloads an absolute video URL (no Authorization unless given).
    func download(_ videoURL: String, headers: [String: String] = [:]) async throws -> HTTPReply {
        guard let url = URL(string: videoURL) else { throw RawHTTP.Failure(description: "bad video_url \(videoURL)") }
        return try await RawHTTP.send("GET", url, headers: headers)
    }

    /// Submits a default fast 1080p 6 s 25 fps job and returns its JSON.
    func submitDefault(prompt: String = "a red kite") async throws -> [String: Any] {
        let reply = try await submit(json: #"{"prompt":"\#(prompt)","model":"ltx-2-fast","resolution":"1920x1080","duration":6,"fps":25}"#)
        try #require(reply.status == 200, "submit failed: \(reply.status) \(reply.text)")
        return reply.json
    }

    /// The `stats` endpoint's JSON.
    func statsJSON() async throws -> [String: Any] {
        try await get("/_simulator/stats").json
    }
}

/// A file part for ``Harness/submitMultipart(_:fields:files:)``.
struct MultipartFile {
    var name: String
    var filename: String
    var contentType: String
    var bytes: [UInt8]
}

/// Probes downloaded bytes by writing them to a temporary file.
func probe(_ bytes: [UInt8]) throws -> MediaInfo {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-probe-\(UUID().uuidString).mp4").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try MediaProbe.probe(path)
}

/// Seconds elapsed while running `body`.
func measure(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = (ContinuousClock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
}
