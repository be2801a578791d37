import Foundation
import LTXCore
import LTXMedia
import LTXSimulator
import Synchronization
import Testing
@testable import LTXAPI

@Suite("wavespeed dialect", .serialized)
struct WaveSpeedClientTests {
    static let wavespeed = WaveSpeedDialect()
    static let key = "ws-secret-91c4e0"

    static func parameters(_ mode: GenerationMode = .textToVideo, model: String = "ltx-2-fast", resolution: String = "1920x1080",
                           duration: Int = 6, fps: Int = 25) -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: "a lighthouse at dusk", model: model, resolution: Resolution(parsing: resolution),
                             duration: duration, fps: fps, catalog: .wavespeed)
    }

    static func envelope(_ data: String, code: Int = 200, message: String = "success") -> String {
        #"{"code":\#(code),"message":"\#(message)","data":\#(data)}"#
    }

    /// WaveSpeed played by a scripted server: an upload, a submit answering `created`, a first result `processing`,
    /// then `final` (by default `completed` with one output).
    static func api(final: (@Sendable (UInt16) -> ScriptedServer.Answer)? = nil) throws -> ScriptedServer {
        let polls = Mutex(0)
        let port = Mutex<UInt16>(0)
        let server = try ScriptedServer { method, path in
            let origin = "http://127.0.0.1:\(port.withLock { $0 })"
            let task = { (status: String, extra: String) in
                envelope(#"{"id":"t-42","model":"lightricks/ltx-2-fast/text-to-video","status":"\#(status)"\#(extra),"urls":{"get":"\#(origin)/wavespeed/api/v3/predictions/t-42"}}"#)
            }
            switch (method, path) {
            case ("POST", "/wavespeed/api/v3/media/upload/binary"):
                return .init(status: 200, body: envelope(#"{"type":"image","download_url":"https://cdn.example/u/1.jpg","filename":"a.jpg","size":10}"#))
            case ("POST", "/wavespeed/api/v3/lightricks/ltx-2-fast/text-to-video"), ("POST", "/wavespeed/api/v3/lightricks/ltx-2-fast/image-to-video"):
                return .init(status: 200, body: task("created", ""))
            case ("GET", "/wavespeed/api/v3/predictions/t-42/result"):
                let count = polls.withLock { $0 += 1; return $0 }
                if count == 1 { return .init(status: 200, body: task("processing", #","outputs":[]"#)) }
                return final?(port.withLock { $0 }) ?? .init(status: 200, body: task("completed", #","outputs":["\#(origin)/files/t-42.mp4"],"error":"""#))
            default:
                return .init(status: 404, body: envelope("null", code: 404, message: "not found"))
            }
        }
        port.withLock { $0 = server.port }
        return server
    }

    static func client(_ server: ScriptedServer, events: EventLog = EventLog()) -> GenerationClient {
        let clock = PipelineClock(scale: 0.001)
        let base = URL(string: "http://127.0.0.1:\(server.port)/wavespeed") ?? URL(fileURLWithPath: "/")
        return GenerationClient(base: base, apiKey: key, dialect: wavespeed, governor: RateGovernor(clock: clock), clock: clock,
                                maxWait: 1e9, observer: { events.append($0) })
    }

    @Test("the requests WaveSpeed saw: the model path under /api/v3, Bearer auth, the model's own fields, the result path, outputs[0]; a local image uploaded as binary and sent as its download_url")
    func requestAndResponseMapping() async throws {
        let server = try Self.api()
        defer { server.stop() }
        let client = Self.client(server)
        let submitted = try await client.submit(Self.parameters())
        #expect(submitted.id == "t-42" && submitted.state == .pending)
        let done = try await client.waitForCompletion(submitted, parameters: Self.parameters())
        #expect(done.videoURL == "http://127.0.0.1:\(server.port)/files/t-42.mp4")
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        _ = try await client.submit(Self.parameters(.imageToVideo), inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))

        let seen = server.received
        #expect(seen.map(\.requestLine) == [
            "POST /wavespeed/api/v3/lightricks/ltx-2-fast/text-to-video HTTP/1.1", "GET /wavespeed/api/v3/predictions/t-42/result HTTP/1.1",
            "GET /wavespeed/api/v3/predictions/t-42/result HTTP/1.1", "POST /wavespeed/api/v3/media/upload/binary HTTP/1.1",
            "POST /wavespeed/api/v3/lightricks/ltx-2-fast/image-to-video HTTP/1.1",
        ])
        #expect(seen.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        let body = try #require(try JSONSerialization.jsonObject(with: seen[0].body) as? [String: Any])
        #expect(Set(body.keys) == ["prompt", "duration"] && body["duration"] as? Int == 6)
        #expect(seen[3].headers["content-type"]?.hasPrefix("multipart/form-data") == true)
        #expect(seen[3].body.range(of: Data("name=\"file\"".utf8)) != nil)
        #expect(seen[3].body.range(of: try Data(contentsOf: URL(fileURLWithPath: image))) != nil, "the image's bytes, as they are")
        let i2v = try #require(try JSONSerialization.jsonObject(with: seen[4].body) as? [String: Any])
        #expect(i2v["image"] as? String == "https://cdn.example/u/1.jpg")
    }

    @Test("a 200 whose envelope carries a failure code is that failure: 401 in the body is the key, 500 in the body is retried")
    func envelopeCodes() async throws {
        let events = EventLog()
        let refusing = try ScriptedServer { _, _ in .init(status: 200, body: Self.envelope("null", code: 401, message: "Invalid API key")) }
        defer { refusing.stop() }
        let refused = await apiError("a refused key in a 200") { try await Self.client(refusing, events: events).submit(Self.parameters()) }
        #expect(refused == .unauthorized("Invalid API key; check WAVESPEED_API_KEY"))
        #expect(!String(describing: refused).contains(Self.key) && !events.transcript.contains(Self.key))
        #expect(refusing.received.count == 1)

        let answered = Mutex(0)
        let flaky = try ScriptedServer { _, _ in
            let count = answered.withLock { $0 += 1; return $0 }
            if count == 1 { return .init(status: 200, body: Self.envelope("null", code: 500, message: "internal error")) }
            if count == 2 { return .init(status: 429, body: Self.envelope("null", code: 429, message: "too many requests"), headers: [("Retry-After", "1")]) }
            return .init(status: 200, body: Self.envelope(#"{"id":"t-7","status":"created"}"#))
        }
        defer { flaky.stop() }
        let flakyEvents = EventLog()
        let submitted = try await Self.client(flaky, events: flakyEvents).submit(Self.parameters())
        #expect(submitted.id == "t-7")
        #expect(flakyEvents.calls.count == 3)

        let broke = try ScriptedServer { _, _ in .init(status: 402, body: Self.envelope("null", code: 402, message: "Insufficient balance")) }
        defer { broke.stop() }
        let credits = await apiError("no balance") { try await Self.client(broke).submit(Self.parameters()) }
        #expect(credits == .insufficientCredits("Insufficient balance"))
    }

    @Test("a failed task fails with WaveSpeed's error; a completed task without outputs is unreadable, not a success")
    func failures() async throws {
        let failing = try Self.api(final: { _ in .init(status: 200, body: Self.envelope(#"{"id":"t-42","status":"failed","outputs":[],"error":"NSFW content detected"}"#)) })
        defer { failing.stop() }
        let client = Self.client(failing)
        let submitted = try await client.submit(Self.parameters())
        let error = await apiError("a failed task") { try await client.waitForCompletion(submitted, parameters: Self.parameters()) }
        #expect(error == .generationFailed("NSFW content detected"))

        let empty = try Self.api(final: { _ in .init(status: 200, body: Self.envelope(#"{"id":"t-42","status":"completed","outputs":[]}"#)) })
        defer { empty.stop() }
        let second = Self.client(empty)
        let started = try await second.submit(Self.parameters())
        let unreadable = await apiError("no outputs") { try await second.waitForCompletion(started, parameters: Self.parameters()) }
        if case .malformedResponse? = unreadable {} else { Issue.record("\(String(describing: unreadable))") }
    }

    @Test("what WaveSpeed cannot serve exactly (it takes no size or rate) is refused locally, nothing sent",
          arguments: [(parameters(resolution: "1080x1920"), "resolution 1080x1920 is not one of"),
                      (parameters(fps: 50), "fps 50 is not one of 25"),
                      (parameters(duration: 12), "duration 12 is not one of 6, 8, 10")])
    func refusals(parameters: GenerationParameters, reason: String) async throws {
        let server = try Self.api()
        defer { server.stop() }
        let error = await apiError("an unservable job") { try await Self.client(server).submit(parameters) }
        if case .rejectedLocally(let message)? = error { #expect(message.contains(reason), "\(message)") } else { Issue.record("\(String(describing: error))") }
        #expect(server.received.isEmpty)
    }

    @Test("against the simulator: text-to-video and an uploaded image-to-video to verified videos, charged WaveSpeed's price; a third task beyond 2 waits in the queue instead of being refused")
    func endToEndAndQueue() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        try await SimulatorLab.with(dialect: Self.wavespeed) { lab in
            for (parameters, inputs) in [(Self.parameters(), GenerationInputs()),
                                         (Self.parameters(.imageToVideo), GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))] {
                let submitted = try await lab.client.submit(parameters, inputs: inputs)
                let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
                let path = lab.directory + "/\(parameters.mode.rawValue).mp4"
                _ = try await lab.client.download(done, to: path)
                let expected = PreflightTargets.expectedVideo(parameters, catalog: .wavespeed, audioSeconds: nil, tolerance: 0.5, deep: false)
                let report = try VideoVerifier.verify(path, against: expected)
                #expect(report.passed, "\(report.failures)")
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 2 && stats.uploads == 1 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
            #expect(abs(stats.costCharged - 0.48) < 1e-9, "2 × 6 s at $0.04/s")
        }
        try await SimulatorLab.with(scale: 1, dialect: Self.wavespeed, configure: { $0.fastLatency = 100...100 }) { lab in
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await lab.client.submit(Self.parameters()).id) }
            await lab.server.advanceTime(by: 30)
            let first = try await lab.client.poll(id: ids[0], mode: .textToVideo), third = try await lab.client.poll(id: ids[2], mode: .textToVideo)
            #expect(first.state == .processing && third.state == .pending, "\(first.state) \(third.state)")
            await lab.server.advanceTime(by: 100)
            #expect(try await lab.client.poll(id: ids[0], mode: .textToVideo).state == .completed)
            #expect(try await lab.client.poll(id: ids[2], mode: .textToVideo).state == .processing)
            await lab.server.advanceTime(by: 100)
            #expect(try await lab.client.poll(id: ids[2], mode: .textToVideo).state == .completed)
            let stats = await lab.server.stats()
            #expect(stats.submitsAccepted == 3 && stats.rateLimited == 0 && stats.concurrencyLimited == 0)
        }
        try await SimulatorLab.with(key: "wrong-key", dialect: Self.wavespeed) { lab in
            let error = await apiError("a wrong key") { try await lab.client.submit(Self.parameters()) }
            if case .unauthorized(let message)? = error { #expect(message.contains("WAVESPEED_API_KEY") && !message.contains("wrong-key")) } else { Issue.record("\(String(describing: error))") }
        }
        try await SimulatorLab.with(dialect: Self.wavespeed, configure: { $0.faults.failedGenerations = 1 }) { lab in
            let submitted = try await lab.client.submit(Self.parameters())
            let error = await apiError("a failed task") { try await lab.client.waitForCompletion(submitted, parameters: Self.parameters()) }
            if case .generationFailed? = error {} else { Issue.record("\(String(describing: error))") }
        }
    }

    @Test("catalogs/wavespeed.yml: user names mapped to WaveSpeed paths per mode, 1080p only, documented prices; the error table marks what the SDK documents")
    func catalogAndTable() throws {
        let catalog = try CatalogFixtures.shipped("wavespeed")
        #expect(catalog.offeredModels.map(\.name) == ["ltx-2-fast", "ltx-2-pro"])
        #expect(catalog.providerModelID("ltx-2-fast", mode: .imageToVideo) == "lightricks/ltx-2-fast/image-to-video")
        #expect(catalog.providerModelID("ltx-2-pro", mode: .textToVideo) == "lightricks/ltx-2-pro/text-to-video")
        #expect(RequestValidator(catalog: catalog).estimatedCost(Self.parameters(model: "ltx-2-pro", duration: 10)) == 0.6)
        let rows = RetryPolicy.wavespeed.rules + [RetryPolicy.wavespeed.otherServerError]
        #expect(rows.filter { $0.note?.hasPrefix("documented") == true }.map(\.status) == [429, 500, 502, 503, 504])
        #expect(rows.allSatisfy { $0.note != nil })
    }
}
