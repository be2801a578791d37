import Foundation
import LTXCore
import Synchronization
import Testing
@testable import LTXAPI
import LTXGeneration

/// A malicious or broken API server (issue 10): ids it chooses never reach a URL unchecked, an answer about another
/// generation is refused, and a cost it makes up is not believed.
@Suite("Client against a hostile server", .serialized)
struct HostileServerTests {
    static let parameters = GenerationParameters(mode: .textToVideo, prompt: "a red kite over the sea", model: "ltx-2-fast")

    /// Warnings the client reported.
    final class Warnings: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func client(_ server: ScriptedServer, warnings: Warnings? = nil) -> GenerationClient {
        GenerationClient(base: server.base, apiKey: "hostile-test-key", observer: { event in
            if case .warning(let text) = event { warnings?.append(text) }
        })
    }

    @Test func aServerChosenPathIsNeverRequested() async throws {
        let server = try ScriptedServer { _, _ in .init(status: 200, body: #"{"id": "../../etc/passwd", "status": "processing"}"#) }
        defer { server.stop() }
        let client = HostileServerTests.client(server)
        await #expect(throws: APIError.self) { try await client.submit(HostileServerTests.parameters) }
        await #expect(throws: APIError.self) { try await client.poll(id: "../../etc/passwd", mode: .textToVideo) }
        #expect(server.requests == ["POST /v1/generations/text-to-video"], "no GET outside /generations, no second request")
        #expect(!GenerationClient.isSafeID("a/b") && !GenerationClient.isSafeID("..") && !GenerationClient.isSafeID(String(repeating: "a", count: 129)))
        #expect(GenerationClient.isSafeID("gen_01HX-abc.def:2"))
    }

    @Test func anAnswerAboutAnotherGenerationIsRefused() async throws {
        let server = try ScriptedServer { _, _ in .init(status: 200, body: #"{"id": "gen-2", "status": "completed", "video_url": "http://127.0.0.1:1/v.mp4"}"#) }
        defer { server.stop() }
        let client = HostileServerTests.client(server)
        do {
            _ = try await client.poll(id: "gen-1", mode: .textToVideo)
            Issue.record("an answer about gen-2 was adopted for gen-1")
        } catch {
            guard case .malformedResponse(let text) = error else { Issue.record("\(error)"); return }
            #expect(text.contains("gen-1") && text.contains("gen-2"))
        }
    }

    @Test("a negative, huge or non-finite cost is not believed", arguments: ["-5", "1e300", "5000"])
    func implausibleCostsAreIgnored(cost: String) async throws {
        let server = try ScriptedServer { _, _ in .init(status: 200, body: #"{"id": "gen-1", "status": "processing", "cost": \#(cost)}"#) }
        defer { server.stop() }
        let warnings = Warnings()
        let submitted = try await HostileServerTests.client(server, warnings: warnings).submit(HostileServerTests.parameters)
        #expect(submitted.id == "gen-1")
        #expect(submitted.cost == nil, "the estimate stands")
        #expect(warnings.all.contains { $0.contains("implausible cost") })
    }

    @Test func aPlausibleCostIsKept() async throws {
        let server = try ScriptedServer { _, _ in .init(status: 200, body: #"{"id": "gen-1", "status": "processing", "cost": 0.12}"#) }
        defer { server.stop() }
        #expect(try await HostileServerTests.client(server).submit(HostileServerTests.parameters).cost == 0.12)
    }

    @Test func aDownloadOverItsCapLeavesNoPartialFileBehind() async throws {
        let server = try ScriptedServer { _, _ in .init(status: 200, body: String(repeating: "x", count: 5000)) }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let status = GenerationStatus(id: "gen-1", state: .completed, videoURL: "http://127.0.0.1:\(server.port)/video.mp4")
        let path = folder + "/video.mp4"
        await #expect(throws: APIError.self) {
            try await HostileServerTests.client(server).download(status, to: path, options: DownloadOptions(maxBytes: 1000, attempts: 1, retryDelay: 0))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "neither the video nor its .part is left")
    }

    @Test func aDownloadIsCappedByWhatTheRequestImplies() {
        let hd = GenerationParameters(mode: .textToVideo, prompt: "p", model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25)
        #expect(DownloadCap.bytes(for: hd) == (64 << 20) + 1920 * 1080 * 25 * 20 / 16)
        let uhd = GenerationParameters(mode: .textToVideo, prompt: "p", model: "ltx-2-pro", resolution: Resolution(width: 3840, height: 2160), duration: 20, fps: 50)
        #expect(DownloadCap.bytes(for: uhd) < 1 << 30, "a 20 s 4K video is far below 4 GiB")
        let absurd = GenerationParameters(mode: .textToVideo, prompt: "p", model: "x", resolution: Resolution(width: Int.max, height: Int.max), duration: Int.max, fps: Int.max)
        #expect(DownloadCap.bytes(for: absurd) == DownloadOptions().maxBytes, "saturates, never traps")
    }
}
