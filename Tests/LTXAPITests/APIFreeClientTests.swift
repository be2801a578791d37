import Foundation
import LTXCore
import LTXMedia
import LTXSimulator
import Synchronization
import Testing
@testable import LTXAPI

@Suite("apifree dialect", .serialized)
struct APIFreeClientTests {
    static let apifree = APIFreeDialect()
    static let key = "af-secret-30d7b2"

    static func parameters(_ mode: GenerationMode = .textToVideo, model: String = "ltx-2-3-fast", resolution: String = "1280x720",
                           duration: Int = 6, fps: Int = 24) -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: "a lighthouse at dusk", model: model, resolution: Resolution(parsing: resolution),
                             duration: duration, fps: fps, catalog: .apifree)
    }

    /// APIFree played by a scripted server: a `queued` task, then `in_progress`, then `final` (by default `completed`).
    static func api(final: String? = nil) throws -> ScriptedServer {
        let polls = Mutex(0)
        return try ScriptedServer { method, path in
            let task = { (status: String) in #"{"id":"video_9","object":"video","status":"\#(status)","model":"ltx-2-3-fast","progress":0,"seconds":"6","size":"1280x720"}"# }
            switch (method, path) {
            case ("POST", "/apifree/v1/videos"):
                return .init(status: 200, body: task("queued"))
            case ("GET", "/apifree/v1/videos/video_9"):
                let count = polls.withLock { $0 += 1; return $0 }
                return .init(status: 200, body: count == 1 ? task("in_progress") : final ?? task("completed"))
            default:
                return .init(status: 404, body: #"{"error":{"message":"Not found","type":"invalid_request_error"}}"#)
            }
        }
    }

    static func client(_ server: ScriptedServer, events: EventLog = EventLog()) -> GenerationClient {
        let clock = PipelineClock(scale: 0.001)
        let base = URL(string: "http://127.0.0.1:\(server.port)/apifree") ?? URL(fileURLWithPath: "/")
        return GenerationClient(base: base, apiKey: key, dialect: apifree, governor: RateGovernor(clock: clock), clock: clock,
                                maxWait: 1e9, observer: { events.append($0) })
    }

    @Test("the requests APIFree saw: POST /v1/videos with model, prompt, size WxH and seconds (JSON; multipart with input_reference for a start image), Bearer auth, GET /v1/videos/{id}; the file is the mirrored API's /content under the base")
    func requestAndResponseMapping() async throws {
        let server = try Self.api()
        defer { server.stop() }
        let client = Self.client(server)
        let submitted = try await client.submit(Self.parameters())
        #expect(submitted.id == "video_9" && submitted.state == .pending)
        let done = try await client.waitForCompletion(submitted, parameters: Self.parameters())
        #expect(done.videoURL == "http://127.0.0.1:\(server.port)/apifree/v1/videos/video_9/content")
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        _ = try await client.submit(Self.parameters(.imageToVideo), inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))

        let seen = server.received
        #expect(seen.map(\.requestLine) == [
            "POST /apifree/v1/videos HTTP/1.1", "GET /apifree/v1/videos/video_9 HTTP/1.1", "GET /apifree/v1/videos/video_9 HTTP/1.1",
            "POST /apifree/v1/videos HTTP/1.1",
        ])
        #expect(seen.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        let body = try #require(try JSONSerialization.jsonObject(with: seen[0].body) as? [String: String])
        #expect(body == ["model": "ltx-2-3-fast", "prompt": "a lighthouse at dusk", "size": "1280x720", "seconds": "6"])
        #expect(seen[3].headers["content-type"]?.hasPrefix("multipart/form-data") == true)
        #expect(seen[3].body.range(of: Data("name=\"input_reference\"".utf8)) != nil)
        #expect(seen[3].body.range(of: try Data(contentsOf: URL(fileURLWithPath: image))) != nil)
    }

    @Test("a failed task fails with the mirrored API's error.message; 401 names APIFREE_API_KEY and never the key; 5xx backs off then submits")
    func failuresAndErrors() async throws {
        let failing = try Self.api(final: #"{"id":"video_9","object":"video","status":"failed","error":{"code":"moderation_blocked","message":"blocked by moderation"}}"#)
        defer { failing.stop() }
        let client = Self.client(failing)
        let submitted = try await client.submit(Self.parameters())
        let error = await apiError("a failed task") { try await client.waitForCompletion(submitted, parameters: Self.parameters()) }
        #expect(error == .generationFailed("blocked by moderation"))

        let events = EventLog()
        let refusing = try ScriptedServer { _, _ in .init(status: 401, body: #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#) }
        defer { refusing.stop() }
        let refused = await apiError("a refused key") { try await Self.client(refusing, events: events).submit(Self.parameters()) }
        #expect(refused == .unauthorized("Incorrect API key provided; check APIFREE_API_KEY"))
        #expect(!String(describing: refused).contains(Self.key) && !events.transcript.contains(Self.key))

        let answered = Mutex(0)
        let busy = try ScriptedServer { _, _ in
            let count = answered.withLock { $0 += 1; return $0 }
            if count == 1 { return .init(status: 429, body: #"{"error":{"message":"Rate limit reached"}}"#, headers: [("Retry-After", "1")]) }
            if count == 2 { return .init(status: 502, body: "bad gateway") }
            return .init(status: 200, body: #"{"id":"video_3","object":"video","status":"queued"}"#)
        }
        defer { busy.stop() }
        let busyEvents = EventLog()
        #expect(try await Self.client(busy, events: busyEvents).submit(Self.parameters()).id == "video_3")
        #expect(busyEvents.calls.map(\.status) == [429, 502, 200])
        let rows = RetryPolicy.apifree.rules + [RetryPolicy.apifree.otherServerError]
        #expect(rows.allSatisfy { $0.note?.hasPrefix("not documented by APIFree") == true })
    }

    @Test("what the catalog cannot serve exactly (a rate APIFree cannot be asked for, 1440p, 12 s) is refused locally, nothing sent",
          arguments: [(parameters(fps: 25), "fps 25 is not one of 24"), (parameters(resolution: "2560x1440"), "resolution 2560x1440 is not one of"),
                      (parameters(duration: 12), "duration 12 is not one of 6, 8, 10")])
    func refusals(parameters: GenerationParameters, reason: String) async throws {
        let server = try Self.api()
        defer { server.stop() }
        let error = await apiError("an unservable job") { try await Self.client(server).submit(parameters) }
        if case .rejectedLocally(let message)? = error { #expect(message.contains(reason), "\(message)") } else { Issue.record("\(String(describing: error))") }
        #expect(server.received.isEmpty)
    }

    @Test("against the simulator: text-to-video and image-to-video to verified 1280x720 videos fetched from /content with the key; a file on another origin gets no key")
    func endToEnd() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        try await SimulatorLab.with(dialect: Self.apifree) { lab in
            for (parameters, inputs) in [(Self.parameters(), GenerationInputs()),
                                         (Self.parameters(.imageToVideo), GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))] {
                let submitted = try await lab.client.submit(parameters, inputs: inputs)
                let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
                #expect(done.videoURL?.hasSuffix("/apifree/v1/videos/\(done.id)/content") == true)
                let path = lab.directory + "/\(parameters.mode.rawValue).mp4"
                _ = try await lab.client.download(done, to: path)
                let expected = PreflightTargets.expectedVideo(parameters, catalog: .apifree, audioSeconds: nil, tolerance: 0.5, deep: false)
                let report = try VideoVerifier.verify(path, against: expected)
                #expect(report.passed, "\(report.failures)")
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 2 && stats.requests.download >= 2 && stats.unauthorized == 0)
            #expect(stats.authorizationOnDownloads == stats.requests.download, "the content endpoint is the API's own: the key goes with every request")
            #expect(stats.unpricedGenerations == 2 && stats.costCharged == 0)
        }
        let elsewhere = try ScriptedServer { _, _ in .init(status: 404, body: "gone") }
        defer { elsewhere.stop() }
        try await SimulatorLab.with(dialect: Self.apifree) { lab in
            let foreign = GenerationStatus(id: "video_1", state: .completed, videoURL: "http://127.0.0.1:\(elsewhere.port)/v1/videos/video_1/content")
            _ = await apiError("a file elsewhere") { try await lab.client.download(foreign, to: lab.directory + "/x.mp4") }
            #expect(elsewhere.received.count >= 1 && elsewhere.received.allSatisfy { $0.headers["authorization"] == nil })
        }
        try await SimulatorLab.with(key: "wrong-key", dialect: Self.apifree) { lab in
            let error = await apiError("a wrong key") { try await lab.client.submit(Self.parameters()) }
            if case .unauthorized(let message)? = error { #expect(message.contains("APIFREE_API_KEY") && !message.contains("wrong-key")) } else { Issue.record("\(String(describing: error))") }
        }
        try await SimulatorLab.with(dialect: Self.apifree, configure: { $0.faults.failedGenerations = 1 }) { lab in
            let submitted = try await lab.client.submit(Self.parameters())
            let error = await apiError("a failed task") { try await lab.client.waitForCompletion(submitted, parameters: Self.parameters()) }
            if case .generationFailed? = error {} else { Issue.record("\(String(describing: error))") }
        }
    }

    @Test("catalogs/apifree.yml: user names mapped to the model value sent, WxH sizes, every price unknown, and it says what APIFree does not document")
    func catalogFile() throws {
        let catalog = try CatalogFixtures.shipped("apifree")
        #expect(catalog.offeredModels.map(\.name) == ["ltx-2-3-fast", "ltx-2-3-pro"])
        #expect(catalog.providerModelID("ltx-2-3-pro", mode: .imageToVideo) == "ltx-2-3-pro")
        #expect(catalog.sizes == nil)
        #expect(RequestValidator(catalog: catalog).estimatedCost(Self.parameters()) == nil)
        let text = try String(contentsOfFile: CatalogFixtures.path("apifree"), encoding: .utf8)
        #expect(text.contains("/v1/videos/{id}/content: documented by the OpenAI video API APIFree mirrors"))
    }
}
