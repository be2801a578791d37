import Foundation
import LTXCore
import LTXMedia
import LTXSimulator
import Synchronization
import Testing
@testable import LTXAPI

@Suite("replicate dialect", .serialized)
struct ReplicateClientTests {
    static let replicate = ReplicateDialect()
    static let key = "r8_secret-5e2b7a"

    static func parameters(_ mode: GenerationMode = .textToVideo, model: String = "ltx-2-3-fast", resolution: String = "1080x1920",
                           duration: Int = 6, fps: Int = 25) -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: "a lighthouse at dusk", model: model, resolution: Resolution(parsing: resolution),
                             duration: duration, fps: fps, catalog: .replicate)
    }

    /// A model answer whose input schema lists `properties` (names → a JSON schema text) and the enums by name.
    static func schema(properties: [String: String], enums: [String: String] = [:]) -> String {
        let props = properties.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        let extra = enums.sorted { $0.key < $1.key }.map { ",\"\($0.key)\":{\"enum\":\($0.value)}" }.joined()
        return #"{"owner":"lightricks","name":"ltx-2.3-fast","latest_version":{"id":"v1","openapi_schema":{"components":{"schemas":{"Input":{"properties":{\#(props)}}\#(extra)}}}}}"#
    }

    static let fullSchema = schema(
        properties: fullProperties,
        enums: ["duration": "[6,8,10,12,14,16,18,20]", "resolution": #"["1080p","1440p","2160p"]"#])

    static let fullProperties: [String: String] = ["prompt": #"{"type":"string"}"#, "image": #"{"type":"string"}"#, "generate_audio": #"{"type":"boolean"}"#,
                     "duration": ##"{"allOf":[{"$ref":"#/components/schemas/duration"}]}"##, "fps": #"{"enum":[24,25,48,50]}"#,
                     "resolution": ##"{"allOf":[{"$ref":"#/components/schemas/resolution"}]}"##, "aspect_ratio": #"{"enum":["16:9","9:16"]}"#]

    /// Replicate played by a scripted server: the model's schema, a 201 `starting` prediction, then `processing`,
    /// then `final` (by default `succeeded` with an output URL).
    static func predictions(schema: String = fullSchema, final: (@Sendable (UInt16) -> String)? = nil) throws -> ScriptedServer {
        let polls = Mutex(0)
        let port = Mutex<UInt16>(0)
        let server = try ScriptedServer { method, path in
            let origin = "http://127.0.0.1:\(port.withLock { $0 })"
            let prediction = { (status: String, extra: String) in
                #"{"id":"p7x","model":"lightricks/ltx-2.3-fast","status":"\#(status)"\#(extra),"urls":{"get":"\#(origin)/replicate/v1/predictions/p7x"}}"#
            }
            switch (method, path) {
            case ("GET", "/replicate/v1/models/lightricks/ltx-2.3-fast"):
                return .init(status: 200, body: schema)
            case ("POST", "/replicate/v1/models/lightricks/ltx-2.3-fast/predictions"):
                return .init(status: 201, body: prediction("starting", #","output":null"#))
            case ("GET", "/replicate/v1/predictions/p7x"):
                let count = polls.withLock { $0 += 1; return $0 }
                if count == 1 { return .init(status: 200, body: prediction("processing", "")) }
                return .init(status: 200, body: final?(port.withLock { $0 }) ?? prediction("succeeded", #","output":"\#(origin)/files/p7x.mp4""#))
            default:
                return .init(status: 404, body: #"{"detail":"Not found."}"#)
            }
        }
        port.withLock { $0 = server.port }
        return server
    }

    static func client(_ server: ScriptedServer, events: EventLog = EventLog()) -> GenerationClient {
        let clock = PipelineClock(scale: 0.001)
        let base = URL(string: "http://127.0.0.1:\(server.port)/replicate") ?? URL(fileURLWithPath: "/")
        return GenerationClient(base: base, apiKey: key, dialect: replicate, governor: RateGovernor(clock: clock), clock: clock,
                                maxWait: 1e9, observer: { events.append($0) })
    }

    @Test("the requests Replicate saw: the schema read once, the predictions path, Bearer auth, {input:{...}} with tier and aspect ratio; the output URL")
    func requestAndResponseMapping() async throws {
        let server = try Self.predictions()
        defer { server.stop() }
        let client = Self.client(server)
        let parameters = Self.parameters()
        let submitted = try await client.submit(parameters)
        #expect(submitted.id == "p7x" && submitted.state == .pending)
        let done = try await client.waitForCompletion(submitted, parameters: parameters)
        #expect(done.state == .completed)
        #expect(done.videoURL == "http://127.0.0.1:\(server.port)/files/p7x.mp4")
        _ = try await client.submit(parameters)

        let seen = server.received
        #expect(seen.map(\.requestLine) == [
            "GET /replicate/v1/models/lightricks/ltx-2.3-fast HTTP/1.1", "POST /replicate/v1/models/lightricks/ltx-2.3-fast/predictions HTTP/1.1",
            "GET /replicate/v1/predictions/p7x HTTP/1.1", "GET /replicate/v1/predictions/p7x HTTP/1.1",
            "POST /replicate/v1/models/lightricks/ltx-2.3-fast/predictions HTTP/1.1",
        ])
        #expect(seen.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        let body = try #require(try JSONSerialization.jsonObject(with: seen[1].body) as? [String: Any])
        #expect(Set(body.keys) == ["input"])
        let input = try #require(body["input"] as? [String: Any])
        #expect(input["prompt"] as? String == "a lighthouse at dusk")
        #expect(input["resolution"] as? String == "1080p" && input["aspect_ratio"] as? String == "9:16")
        #expect(input["duration"] as? Int == 6 && input["fps"] as? Int == 25)
        #expect(Set(input.keys) == ["prompt", "resolution", "aspect_ratio", "duration", "fps"])
        #expect(seen[1].headers["content-type"] == "application/json")
    }

    @Test("a field or value the model's schema does not list is refused before any prediction is paid for",
          arguments: [
            (schema(properties: ["prompt": #"{"type":"string"}"#, "duration": "{}", "resolution": "{}", "aspect_ratio": "{}"]), "takes no fps input"),
            (schema(properties: ["prompt": "{}", "duration": #"{"enum":[6,8,10]}"#, "resolution": "{}", "aspect_ratio": "{}", "fps": "{}"]),
             "takes duration 6, 8, 10, not 12"),
            (schema(properties: ["prompt": "{}", "duration": "{}", "resolution": #"{"enum":["720p","1080p"]}"#, "aspect_ratio": "{}", "fps": "{}"]),
             "takes resolution \"720p\", \"1080p\", not \"1440p\""),
          ])
    func schemaRefusals(schema: String, reason: String) async throws {
        let server = try Self.predictions(schema: schema)
        defer { server.stop() }
        let parameters = reason.contains("duration") ? Self.parameters(resolution: "1920x1080", duration: 12)
            : reason.contains("resolution") ? Self.parameters(resolution: "2560x1440") : Self.parameters()
        let error = await apiError("an unlisted input") { try await Self.client(server).submit(parameters) }
        if case .rejectedLocally(let message)? = error { #expect(message.contains(reason), "\(message)") } else { Issue.record("\(String(describing: error))") }
        #expect(server.received.map(\.requestLine) == ["GET /replicate/v1/models/lightricks/ltx-2.3-fast HTTP/1.1"])
    }

    @Test("what the catalog cannot serve exactly is refused locally, nothing sent",
          arguments: [(parameters(resolution: "1280x720"), "resolution 1280x720 is not one of"),
                      (parameters(fps: 30), "fps 30 is not one of 24, 25, 48, 50"),
                      (parameters(.imageToVideo, duration: 14), "duration 14 is not one of 6, 8, 10"),
                      (parameters(.audioToVideo), "audio-to-video needs model")])
    func refusals(parameters: GenerationParameters, reason: String) async throws {
        let server = try Self.predictions()
        defer { server.stop() }
        let error = await apiError("an unservable job") { try await Self.client(server).submit(parameters) }
        if case .rejectedLocally(let message)? = error { #expect(message.contains(reason), "\(message)") } else { Issue.record("\(String(describing: error))") }
        #expect(server.received.isEmpty)
    }

    @Test("a failed prediction fails with Replicate's error string; a canceled one says so; succeeded without output is a lost output")
    func failures() async throws {
        let cases: [(String, APIError)] = [
            (#"{"id":"p7x","status":"failed","error":"CUDA out of memory","output":null}"#, .generationFailed("CUDA out of memory")),
            (#"{"id":"p7x","status":"canceled","error":null,"output":null}"#, .generationFailed("prediction p7x was canceled")),
        ]
        for (final, expected) in cases {
            let server = try Self.predictions(final: { _ in final })
            defer { server.stop() }
            let client = Self.client(server)
            let submitted = try await client.submit(Self.parameters())
            let error = await apiError("a failed prediction") { try await client.waitForCompletion(submitted, parameters: Self.parameters()) }
            #expect(error == expected)
        }
        let gone = try Self.predictions(final: { _ in #"{"id":"p7x","status":"succeeded","output":null}"# })
        defer { gone.stop() }
        let client = Self.client(gone)
        let submitted = try await client.submit(Self.parameters())
        let error = await apiError("a deleted output") { try await client.waitForCompletion(submitted, parameters: Self.parameters()) }
        guard case .outputLost(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("60 minutes"))
        #expect(RetryPolicy.replicate.disposition(for: .outputLost(message), during: .poll) == .fail(reason: "output-lost", detail: "output lost: \(message)"))
    }

    @Test("401 names REPLICATE_API_TOKEN but never the token and stops submitting; 402 holds; 429 waits Retry-After then submits; 5xx backs off")
    func errorPaths() async throws {
        let events = EventLog()
        let refusing = try ScriptedServer { _, _ in .init(status: 401, body: #"{"detail":"You did not pass a valid authentication token","status":401}"#) }
        defer { refusing.stop() }
        let refused = await apiError("a refused token") { try await Self.client(refusing, events: events).submit(Self.parameters()) }
        #expect(refused == .unauthorized("You did not pass a valid authentication token; check REPLICATE_API_TOKEN"))
        let refusal = try #require(refused)
        #expect(RetryPolicy.replicate.disposition(for: refusal, during: .submit) == .hold(reason: "unauthorized", detail: refusal.description, stopsSubmitting: true))
        #expect(!String(describing: refused).contains(Self.key) && !events.transcript.contains(Self.key))

        let broke = try ScriptedServer { method, _ in
            method == "GET" ? .init(status: 200, body: Self.fullSchema) : .init(status: 402, body: #"{"detail":"Insufficient credit"}"#)
        }
        defer { broke.stop() }
        let credits = await apiError("no credit") { try await Self.client(broke).submit(Self.parameters()) }
        #expect(credits == .insufficientCredits("Insufficient credit"))
        #expect(RetryPolicy.replicate.disposition(for: try #require(credits), during: .submit).isHold)

        let answered = Mutex(0)
        let busy = try ScriptedServer { method, _ in
            if method == "GET" { return .init(status: 200, body: Self.fullSchema) }
            let count = answered.withLock { $0 += 1; return $0 }
            switch count {
            case 1: return .init(status: 429, body: #"{"detail":"Request was throttled"}"#, headers: [("Retry-After", "2")])
            case 2: return .init(status: 503, body: #"{"detail":"busy"}"#)
            default: return .init(status: 201, body: #"{"id":"p9","status":"starting","output":null}"#)
            }
        }
        defer { busy.stop() }
        let busyEvents = EventLog()
        let submitted = try await Self.client(busy, events: busyEvents).submit(Self.parameters())
        #expect(submitted.id == "p9")
        #expect(busyEvents.calls.map(\.status) == [200, 429, 503, 201])
    }

    @Test("every row of Replicate's error table says whether Replicate documents it; only 429 is documented")
    func errorTableMarksWhatIsNotDocumented() {
        let rows = RetryPolicy.replicate.rules + [RetryPolicy.replicate.otherServerError]
        #expect(rows.filter { $0.note?.hasPrefix("not documented by Replicate") != true }.map(\.status) == [429])
    }

    @Test("against the simulator: text-to-video and image-to-video to verified videos; an output fetched after Replicate's hour is lost, not retried")
    func endToEndAndExpiry() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        // Outputs kept far longer than Replicate's hour here, so a loaded machine cannot expire one mid-test; the
        // hour itself is skipped over with advanceTime below.
        try await SimulatorLab.with(dialect: Self.replicate, configure: { $0.replicateOutputLifetime = 1e9 }) { lab in
            for (parameters, inputs) in [(Self.parameters(resolution: "1920x1080"), GenerationInputs()),
                                         (Self.parameters(.imageToVideo, resolution: "1920x1080"), GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))] {
                let submitted = try await lab.client.submit(parameters, inputs: inputs)
                let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
                let path = lab.directory + "/\(parameters.mode.rawValue).mp4"
                _ = try await lab.client.download(done, to: path)
                let expected = PreflightTargets.expectedVideo(parameters, catalog: .replicate, audioSeconds: nil, tolerance: 0.5, deep: false)
                let report = try VideoVerifier.verify(path, against: expected)
                #expect(report.passed, "\(report.failures)")
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 2 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
        }
        try await SimulatorLab.with(dialect: Self.replicate) { lab in
            let late = try await lab.client.submit(Self.parameters(resolution: "1920x1080"))
            let done = try await lab.client.waitForCompletion(late, parameters: Self.parameters(resolution: "1920x1080"))
            await lab.server.advanceTime(by: ReplicateDialect.outputRetention + 1)
            let error = await apiError("a download after the hour") { try await lab.client.download(done, to: lab.directory + "/late.mp4") }
            guard case .outputLost(let message)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(message.contains("HTTP 404") && message.contains("not retried"))
            let repoll = await apiError("a poll after the hour") { try await lab.client.poll(id: late.id, mode: .textToVideo) }
            if case .outputLost? = repoll {} else { Issue.record("\(String(describing: repoll))") }
            #expect(await lab.server.stats().requests.download == 1, "the lost output was asked for once")
        }
        try await SimulatorLab.with(key: "wrong-token", dialect: Self.replicate) { lab in
            let error = await apiError("a wrong token") { try await lab.client.submit(Self.parameters()) }
            if case .unauthorized(let message)? = error { #expect(message.contains("REPLICATE_API_TOKEN") && !message.contains("wrong-token")) } else { Issue.record("\(String(describing: error))") }
        }
        try await SimulatorLab.with(dialect: Self.replicate, configure: { $0.faults.failedGenerations = 1 }) { lab in
            let submitted = try await lab.client.submit(Self.parameters())
            let error = await apiError("a failed prediction") { try await lab.client.waitForCompletion(submitted, parameters: Self.parameters()) }
            if case .generationFailed? = error {} else { Issue.record("\(String(describing: error))") }
        }
    }

    @Test("catalogs/replicate.yml: user names mapped to Replicate models for both modes; sizes as tier and aspect; every price unknown")
    func catalogFile() throws {
        let catalog = try CatalogFixtures.shipped("replicate")
        #expect(catalog.dialect == "replicate")
        #expect(catalog.offeredModels.map(\.name) == ["ltx-2-3-fast", "ltx-2-3-pro"])
        #expect(catalog.providerModelID("ltx-2-3-fast", mode: .textToVideo) == "lightricks/ltx-2.3-fast")
        #expect(catalog.providerModelID("ltx-2-3-pro", mode: .imageToVideo) == "lightricks/ltx-2.3-pro")
        #expect(catalog.sizes?[Resolution(width: 1080, height: 1920)] == Catalog.ProviderSize(resolution: "1080p", aspectRatio: "9:16"))
        #expect(catalog.model("ltx-2-3-fast")?.prices.isEmpty == true)
        #expect(RequestValidator(catalog: catalog).estimatedCost(Self.parameters()) == nil, "unknown, never zero")
    }
}

extension JobDisposition {
    /// True for a hold.
    var isHold: Bool {
        if case .hold = self { return true }
        return false
    }
}
