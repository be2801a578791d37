import Foundation
import LTXCore
import LTXMedia
import LTXSimulator
import Synchronization
import Testing
@testable import LTXAPI

@Suite("fal dialect", .serialized)
struct FalClientTests {
    static let fal = FalDialect()
    static let key = "fal-secret-4c1d9e"

    static func parameters(_ mode: GenerationMode = .textToVideo, model: String = "ltx-2-3-fast", resolution: String = "1080x1920",
                           duration: Int = 6, fps: Int = 25) -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: "a lighthouse at dusk", model: model, resolution: Resolution(parsing: resolution),
                             duration: duration, fps: fps, catalog: .fal)
    }

    /// A fal queue played by a scripted server: the submit answers with URLs under `/fal/fal-ai/ltx-2.3/requests/r-1`,
    /// the first status poll `IN_PROGRESS` (202), the next `COMPLETED`, and the response URL `result`.
    static func queue(statusURL: (@Sendable (UInt16) -> String)? = nil, result: ScriptedServer.Answer? = nil) throws -> ScriptedServer {
        let polls = Mutex(0)
        let port = Mutex<UInt16>(0)
        let server = try ScriptedServer { method, path in
            let origin = "http://127.0.0.1:\(port.withLock { $0 })"
            let app = "/fal/fal-ai/ltx-2.3/requests/r-1"
            switch (method, path) {
            case ("POST", "/fal/fal-ai/ltx-2.3/text-to-video/fast"), ("POST", "/fal/fal-ai/ltx-2.3/image-to-video/fast"):
                let status = statusURL?(port.withLock { $0 }) ?? origin + app + "/status"
                return .init(status: 200, body: #"{"request_id":"r-1","response_url":"\#(origin + app)","status_url":"\#(status)","cancel_url":"\#(origin + app)/cancel"}"#)
            case ("GET", app + "/status"):
                let count = polls.withLock { $0 += 1; return $0 }
                return count == 1 ? .init(status: 202, body: #"{"status":"IN_PROGRESS","response_url":"\#(origin + app)"}"#)
                    : .init(status: 200, body: #"{"status":"COMPLETED","response_url":"\#(origin + app)"}"#)
            case ("GET", app):
                return result ?? .init(status: 200, body: #"{"video":{"url":"\#(origin)/files/r-1.mp4","content_type":"video/mp4"}}"#)
            default:
                return .init(status: 404, body: #"{"detail":"Not Found"}"#)
            }
        }
        port.withLock { $0 = server.port }
        return server
    }

    static func client(_ server: ScriptedServer, events: EventLog = EventLog()) -> GenerationClient {
        let clock = PipelineClock(scale: 0.001)
        let base = URL(string: "http://127.0.0.1:\(server.port)/fal") ?? URL(fileURLWithPath: "/")
        return GenerationClient(base: base, apiKey: key, dialect: fal, governor: RateGovernor(clock: clock), clock: clock,
                                maxWait: 1e9, observer: { events.append($0) })
    }

    @Test("the request fal saw: the model id's path, Authorization: Key, tier and aspect ratio instead of WxH; status and response URLs; the video URL")
    func requestAndResponseMapping() async throws {
        let server = try Self.queue()
        defer { server.stop() }
        let client = Self.client(server)
        let parameters = Self.parameters()
        let submitted = try await client.submit(parameters)
        #expect(submitted.id == "fal-ai:ltx-2.3:r-1")
        let done = try await client.waitForCompletion(submitted, parameters: parameters)
        #expect(done.state == .completed)
        #expect(done.videoURL == "http://127.0.0.1:\(server.port)/files/r-1.mp4")

        let seen = server.received
        #expect(seen.map(\.requestLine) == [
            "POST /fal/fal-ai/ltx-2.3/text-to-video/fast HTTP/1.1", "GET /fal/fal-ai/ltx-2.3/requests/r-1/status HTTP/1.1",
            "GET /fal/fal-ai/ltx-2.3/requests/r-1/status HTTP/1.1", "GET /fal/fal-ai/ltx-2.3/requests/r-1 HTTP/1.1",
        ])
        #expect(seen.allSatisfy { $0.headers["authorization"] == "Key \(Self.key)" })
        let body = try #require(try JSONSerialization.jsonObject(with: seen[0].body) as? [String: Any])
        #expect(body["prompt"] as? String == "a lighthouse at dusk")
        #expect(body["resolution"] as? String == "1080p")
        #expect(body["aspect_ratio"] as? String == "9:16")
        #expect(body["duration"] as? Int == 6 && body["fps"] as? Int == 25)
        #expect(Set(body.keys) == ["prompt", "resolution", "aspect_ratio", "duration", "fps"])
        #expect(seen[0].headers["content-type"] == "application/json")
    }

    @Test("a start image travels inline as a data: URI in image_url; an https URL as it is")
    func imageURL() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: image))
        let server = try Self.queue()
        defer { server.stop() }
        let client = Self.client(server)
        let cases = [(GenerationInput.file(path: image, contentType: "image/jpeg"), "data:image/jpeg;base64," + bytes.base64EncodedString()),
                     (.url("https://images.example.com/cat.jpg"), "https://images.example.com/cat.jpg")]
        for (input, _) in cases {
            _ = try await client.submit(Self.parameters(.imageToVideo, resolution: "1920x1080"), inputs: GenerationInputs(image: input))
        }
        let seen = server.received
        try #require(seen.count == cases.count)
        for ((_, expected), sent) in zip(cases, seen) {
            let body = try #require(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
            #expect(sent.requestLine.hasPrefix("POST /fal/fal-ai/ltx-2.3/image-to-video/fast "))
            #expect(body["image_url"] as? String == expected)
            #expect(body["aspect_ratio"] as? String == "16:9")
        }
    }

    @Test("what fal cannot serve exactly is refused locally with the reason, and nothing is sent",
          arguments: [
            (parameters(resolution: "1280x720"), "resolution 1280x720 is not one of"),
            (parameters(resolution: "2560x1440", duration: 12), "duration 12 is not one of 6, 8, 10"),
            (parameters(fps: 30), "fps 30 is not one of 24, 25, 48, 50"),
            (parameters(.imageToVideo, duration: 14), "duration 14 is not one of 6, 8, 10"),
            (parameters(model: "ltx-2-3-quality", duration: 6).with(mode: .imageToVideo), "image-to-video needs model"),
            (parameters(.audioToVideo), "audio-to-video needs model"),
          ])
    func refusals(parameters: GenerationParameters, reason: String) async throws {
        let server = try Self.queue()
        defer { server.stop() }
        let error = await apiError("an unservable job") { try await Self.client(server).submit(parameters) }
        if case .rejectedLocally(let message)? = error { #expect(message.contains(reason), "\(message)") } else { Issue.record("\(String(describing: error))") }
        #expect(server.received.isEmpty)
    }

    @Test("an http:// start image and a status URL of another shape are refused; a status URL on another host is never asked")
    func urlsAreChecked() async throws {
        let server = try Self.queue()
        defer { server.stop() }
        let error = await apiError("an http image") {
            try await Self.client(server).submit(Self.parameters(.imageToVideo, resolution: "1920x1080"), inputs: GenerationInputs(image: .url("http://example.com/a.jpg")))
        }
        #expect(error == .rejectedLocally("fal takes a start image as an https URL or a data: URI, not a http: link"))
        #expect(server.received.isEmpty)

        let odd = try Self.queue(statusURL: { _ in "https://elsewhere.example/q/r-1" })
        defer { odd.stop() }
        let malformed = await apiError("an odd status URL") { try await Self.client(odd).submit(Self.parameters()) }
        if case .malformedResponse? = malformed {} else { Issue.record("\(String(describing: malformed))") }

        let foreign = try Self.queue(statusURL: { _ in "https://queue.elsewhere.example/fal-ai/ltx-2.3/requests/r-1/status" })
        defer { foreign.stop() }
        let client = Self.client(foreign)
        let submitted = try await client.submit(Self.parameters())
        _ = try await client.waitForCompletion(submitted, parameters: Self.parameters())
        #expect(foreign.received.dropFirst().allSatisfy { $0.requestLine.contains(" /fal/fal-ai/ltx-2.3/requests/r-1") })
        #expect(await apiError("a forged id") { try await client.poll(id: "fal-ai:ltx-2.3", mode: .textToVideo) } != nil)
    }

    @Test("a failed request's result (an error status with detail) fails the generation with fal's words; 401 is the key, naming FAL_KEY but never the key")
    func failures() async throws {
        let failing = try Self.queue(result: .init(status: 500, body: #"{"detail":"CUDA out of memory"}"#))
        defer { failing.stop() }
        let client = Self.client(failing)
        let submitted = try await client.submit(Self.parameters())
        let error = await apiError("a failed generation") { try await client.waitForCompletion(submitted, parameters: Self.parameters()) }
        #expect(error == .generationFailed("HTTP 500: CUDA out of memory"))
        #expect(failing.received.count == 4, "the failed result is read once, not retried")

        let events = EventLog()
        let refusing = try ScriptedServer { _, _ in .init(status: 401, body: #"{"detail":"No valid credentials"}"#) }
        defer { refusing.stop() }
        let refused = await apiError("a refused key") { try await Self.client(refusing, events: events).submit(Self.parameters()) }
        #expect(refused == .unauthorized("No valid credentials; check FAL_KEY"))
        let refusal = try #require(refused)
        #expect(RetryPolicy.fal.disposition(for: refusal, during: .submit) == .hold(reason: "unauthorized", detail: refusal.description, stopsSubmitting: true))
        #expect(!String(describing: refused).contains(Self.key) && !events.transcript.contains(Self.key))
        #expect(refusing.received.count == 1)
    }

    @Test("a 503 on submit backs off and retries (HTTP's meaning; fal documents none), then the request id is read")
    func unavailableBacksOff() async throws {
        let answered = Mutex(0)
        let server = try ScriptedServer { _, _ in
            let count = answered.withLock { $0 += 1; return $0 }
            if count <= 2 { return .init(status: 503, body: #"{"detail":"busy"}"#, headers: [("Retry-After", "1")]) }
            return .init(status: 200, body: #"{"request_id":"r-9","status_url":"https://queue.fal.run/fal-ai/ltx-2.3/requests/r-9/status"}"#)
        }
        defer { server.stop() }
        let events = EventLog()
        let submitted = try await Self.client(server, events: events).submit(Self.parameters())
        #expect(submitted.id == "fal-ai:ltx-2.3:r-9")
        #expect(events.calls.map(\.status) == [503, 503, 200])
    }

    @Test("every row of fal's error table says it is not documented by fal")
    func errorTableMarksWhatIsNotDocumented() {
        let rows = RetryPolicy.fal.rules + [RetryPolicy.fal.otherServerError]
        #expect(rows.allSatisfy { $0.note?.hasPrefix("not documented by fal") == true })
        #expect(RetryPolicy.fal.rule(for: 401).action == .hold && RetryPolicy.fal.rule(for: 429).action == .wait)
    }

    @Test("against the simulator: text-to-video and image-to-video to verified videos; the key goes as Key only to the base")
    func endToEndAgainstTheSimulator() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        try await SimulatorLab.with(dialect: Self.fal) { lab in
            for (parameters, inputs) in [(Self.parameters(resolution: "1920x1080"), GenerationInputs()),
                                         (Self.parameters(.imageToVideo, resolution: "1920x1080"), GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))] {
                let submitted = try await lab.client.submit(parameters, inputs: inputs)
                let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
                let path = lab.directory + "/\(parameters.mode.rawValue).mp4"
                _ = try await lab.client.download(done, to: path)
                let expected = PreflightTargets.expectedVideo(parameters, catalog: .fal, audioSeconds: nil, tolerance: 0.5, deep: false)
                let report = try VideoVerifier.verify(path, against: expected)
                #expect(report.passed, "\(report.failures)")
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 2 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
        }
        try await SimulatorLab.with(key: "wrong-key", dialect: Self.fal) { lab in
            let error = await apiError("a wrong key") { try await lab.client.submit(Self.parameters()) }
            if case .unauthorized(let message)? = error { #expect(message.contains("FAL_KEY") && !message.contains("wrong-key")) } else { Issue.record("\(String(describing: error))") }
        }
        try await SimulatorLab.with(dialect: Self.fal, configure: { $0.faults.failedGenerations = 1 }) { lab in
            let submitted = try await lab.client.submit(Self.parameters())
            let error = await apiError("a failed generation") { try await lab.client.waitForCompletion(submitted, parameters: Self.parameters()) }
            if case .generationFailed? = error {} else { Issue.record("\(String(describing: error))") }
        }
    }

    @Test("catalogs/fal.yml: user names mapped to fal model ids, sizes as tier and aspect, durations, fps and prices; unknown prices stay unknown")
    func catalogFile() throws {
        let catalog = try CatalogFixtures.shipped("fal")
        #expect(catalog.dialect == "fal")
        #expect(catalog.offeredModels.map(\.name) == ["ltx-2-3-fast", "ltx-2-3-pro", "ltx-2-3-quality"])
        #expect(catalog.providerModelID("ltx-2-3-fast", mode: .textToVideo) == "fal-ai/ltx-2.3/text-to-video/fast")
        #expect(catalog.providerModelID("ltx-2-3-pro", mode: .imageToVideo) == "fal-ai/ltx-2.3/image-to-video")
        #expect(catalog.sizes?[Resolution(width: 2160, height: 3840)] == Catalog.ProviderSize(resolution: "2160p", aspectRatio: "9:16"))
        #expect(catalog.model("ltx-2-3-fast")?.prices == ["1080p": 0.04, "1440p": 0.08, "2160p": 0.16])
        #expect(catalog.model("ltx-2-3-pro")?.prices == ["1080p": 0.08])
        let validator = RequestValidator(catalog: catalog)
        #expect(validator.estimatedCost(Self.parameters(duration: 20)) == 0.8)
        #expect(validator.estimatedCost(Self.parameters(model: "ltx-2-3-pro", resolution: "2560x1440")) == nil)
        #expect(validator.violations(Self.parameters(resolution: "1920x1080", duration: 20)).isEmpty)
        #expect(!validator.violations(Self.parameters(resolution: "1920x1080", duration: 20, fps: 24)).isEmpty)
    }

    @Test("catalog errors: a model without a fal id for one of its modes, a size fal has no name for, a model id that is not a path")
    func catalogErrors() throws {
        let text = try String(contentsOfFile: CatalogFixtures.path("fal"), encoding: .utf8)
        let cases = [
            ("      image-to-video: fal-ai/ltx-2.3/image-to-video/fast\n", "", "models.ltx-2-3-fast.model_ids", "ltx-2-3-fast offers image-to-video but model_ids names no model for it"),
            ("  1440x2560: { resolution: 1440p, aspect_ratio: \"9:16\" }\n", "", "models.ltx-2-3-fast.resolutions", "1440x2560 is not one of the sizes"),
            ("text-to-video: fal-ai/ltx-2.3/text-to-video/fast", "text-to-video: ../../etc", "models.ltx-2-3-fast.model_ids.text-to-video", "must be a model path"),
        ]
        for (original, replacement, key, message) in cases {
            #expect(text.contains(original))
            let path = try CatalogFixtures.write(text.replacingOccurrences(of: original, with: replacement), name: "fal.yml")
            let error = CatalogFixtures.error { () throws(CatalogError) -> Catalog in try CatalogFile.load(path: path) }
            #expect(error?.key == key, "\(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
    }
}

extension FalClientTests {
    @Test("an override names a new size and widens a model to it; the request carries fal's name for it. Only a catalog with sizes takes them")
    func sizeOverride() async throws {
        let path = try CatalogFixtures.write("sizes:\n  1280x720: { resolution: 720p, aspect_ratio: \"16:9\" }\nmodels:\n  ltx-2-3-fast: { resolutions: [1280x720, 1920x1080] }\n")
        let catalog = try CatalogFile.applyingOverrides(path: path, to: .fal)
        let parameters = Self.parameters(resolution: "1280x720")
        #expect(RequestValidator(catalog: catalog).violations(parameters).isEmpty)
        let request = try FalDialect(catalog: catalog).submitRequest(parameters, inputs: GenerationInputs(), base: try #require(URL(string: "https://queue.fal.run")))
        #expect(request.url.absoluteString == "https://queue.fal.run/fal-ai/ltx-2.3/text-to-video/fast")
        guard case .data(let data, _) = request.body else { Issue.record("no JSON body"); return }
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(body["resolution"] as? String == "720p" && body["aspect_ratio"] as? String == "16:9")

        let unnamed = try CatalogFixtures.write("models:\n  ltx-2-3-fast: { resolutions: [1280x720, 1920x1080] }\n")
        let error = CatalogFixtures.error { () throws(CatalogError) -> Catalog in try CatalogFile.applyingOverrides(path: unnamed, to: .fal) }
        #expect(error?.message.contains("1280x720 is not one of the sizes") == true, "\(String(describing: error))")
        let v2 = CatalogFixtures.error { () throws(CatalogError) -> Catalog in try CatalogFile.applyingOverrides(path: path, to: .ltxV2) }
        #expect(v2?.key == "sizes" && v2?.line == 1, "\(String(describing: v2))")
    }
}

extension GenerationParameters {
    /// The same parameters in another mode.
    func with(mode: GenerationMode) -> GenerationParameters {
        var copy = self
        copy.mode = mode
        return copy
    }
}
