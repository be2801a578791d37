import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

@Suite("Simulator building blocks")
struct UnitTests {
    @Test("RateLimiter: window quota with Retry-After to the oldest request's exit; in-flight cap with Retry-After 1")
    func rateLimiter() {
        var limiter = RateLimiter(concurrencyLimit: 10, requestsPerWindow: 3, windowSeconds: 60)
        for time in [0.0, 10, 20] {
            #expect(limiter.admit(at: time) == .admitted)
            limiter.release()
        }
        guard case .limited(let retryAfter, _, let limit) = limiter.admit(at: 30.5) else {
            Issue.record("the fourth request inside the window was admitted")
            return
        }
        #expect(retryAfter == 30)  // the request at 0 leaves at 60: ceil(29.5)
        #expect(limit == .window)
        #expect(limiter.admit(at: 60) == .admitted)  // exactly at the edge it has left
        #expect(limiter.maxRequestsInWindow == 3)

        var concurrent = RateLimiter(concurrencyLimit: 2, requestsPerWindow: 100, windowSeconds: 60)
        #expect(concurrent.admit(at: 0) == .admitted)
        #expect(concurrent.admit(at: 0) == .admitted)
        guard case .limited(let wait, let reason, let which) = concurrent.admit(at: 0) else {
            Issue.record("a third concurrent request was admitted")
            return
        }
        #expect(wait == 1)
        #expect(reason.contains("in flight"))
        #expect(which == .concurrency)
        concurrent.release()
        #expect(concurrent.admit(at: 0) == .admitted)
        #expect(concurrent.peakInFlight == 2)

        var unlimited = RateLimiter(concurrencyLimit: 0, requestsPerWindow: 0, windowSeconds: 60)
        for _ in 0..<500 { #expect(unlimited.admit(at: 1) == .admitted) }
        #expect(unlimited.maxRequestsInWindow == 500)
    }

    @Test("ByteRange resolves N-, N-M, -S, clamps the end, ignores what it does not support, 416 past the end")
    func byteRanges() {
        #expect(ByteRange.resolve(nil, size: 1000) == .full)
        #expect(ByteRange.resolve("bytes=0-", size: 1000) == .partial(0...999))
        #expect(ByteRange.resolve("bytes=10-19", size: 1000) == .partial(10...19))
        #expect(ByteRange.resolve("bytes=990-2000", size: 1000) == .partial(990...999))
        #expect(ByteRange.resolve("bytes=-100", size: 1000) == .partial(900...999))
        #expect(ByteRange.resolve("bytes=-5000", size: 1000) == .partial(0...999))
        #expect(ByteRange.resolve("bytes=1000-", size: 1000) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=20-10", size: 1000) == .full)
        #expect(ByteRange.resolve("bytes=0-1,5-6", size: 1000) == .full)
        #expect(ByteRange.resolve("items=0-1", size: 1000) == .full)
    }

    @Test("MultipartParser: quoted boundary, preamble, text and file parts, binary content with CRLFs")
    func multipart() throws {
        let boundary = try MultipartParser.boundary(fromContentType: #"multipart/form-data; charset=utf-8; boundary="b-1 2""#)
        #expect(boundary == "b-1 2")
        let binary: [UInt8] = [0x00, 0x0D, 0x0A, 0x2D, 0x2D, 0xFF, 0x0D, 0x0A]
        var body = Array("preamble\r\n--b-1 2\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nhello; \"world\"\r\n".utf8)
        body += Array("--b-1 2\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a;b.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += binary + Array("\r\n--b-1 2--\r\n".utf8)
        let parts = try MultipartParser.parse(body, boundary: boundary)
        #expect(parts.count == 2)
        #expect(parts[0].name == "prompt")
        #expect(!parts[0].isFile)
        #expect(String(decoding: parts[0].body, as: UTF8.self) == "hello; \"world\"")
        #expect(parts[1].name == "image")
        #expect(parts[1].filename == "a;b.png")
        #expect(parts[1].isFile)
        #expect(Array(parts[1].body) == binary)

        #expect(throws: MultipartError.self) {
            try MultipartParser.parse(Array("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nopen".utf8), boundary: "x")
        }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/form-data") }
    }

    @Test("MediaSniffer judges by magic bytes")
    func sniffing() throws {
        #expect(MediaSniffer.imageFormat(try Harness.fixture("landscape-16x9.jpg")) == .jpeg)
        #expect(MediaSniffer.imageFormat(try Harness.fixture("logo-alpha.png")) == .png)
        #expect(MediaSniffer.imageFormat(try Harness.fixture("still-16x9.webp")) == .webp)
        #expect(MediaSniffer.imageFormat(try Harness.fixture("anim-4x3.gif")) == .gif)
        #expect(MediaSniffer.imageFormat(try Harness.fixture("frame-16x9.bmp")) == nil)
        #expect(MediaSniffer.audioFormat(try Harness.fixture("voice-3s.wav")) == .wav)
        #expect(MediaSniffer.audioFormat(try Harness.fixture("tone-4s.mp3")) == .mp3)
        #expect(MediaSniffer.audioFormat(try Harness.fixture("tone-1s.ogg")) == .ogg)
        #expect(MediaSniffer.audioFormat(try Harness.fixture("logo-alpha.png")) == nil)
        #expect(MediaSniffer.audioFormat(try Harness.fixture("music-12s.flac")) == nil)
        #expect(MediaSniffer.audioFormat([0xFF, 0xF1, 0x50, 0x80]) == .aac)
        #expect(MediaSniffer.audioFormat([0xFF, 0xFB, 0x90, 0x64]) == .mp3)
        #expect(MediaSniffer.audioFormat([0xFF, 0xE0, 0x00, 0x00]) == nil)  // layer "reserved"
        #expect(MediaSniffer.audioFormat([]) == nil)
    }

    @Test("prices per second × duration, in exact micro-dollars")
    func pricing() {
        let rules = GenerationRules.reference
        func cost(_ model: VideoModel, _ resolution: ResolutionPreset, _ duration: Int) -> Int64 {
            rules.cost(of: GenerationSpec(mode: .textToVideo, prompt: "p", model: model, resolution: resolution, duration: duration, fps: 25))
        }
        #expect(cost(.fast, .fullHD, 6) == 120_000)
        #expect(cost(.fast, .fullHD, 10) == 200_000)
        #expect(cost(.fast, .quadHD, 6) == 240_000)
        #expect(cost(.fast, .ultraHD, 6) == 480_000)
        #expect(cost(.pro, .fullHD, 6) == 300_000)
        #expect(cost(.pro, .quadHD, 6) == 600_000)
        #expect(cost(.pro, .ultraHD, 6) == 1_200_000)
    }

    @Test("frame counts follow 8·⌊D·F/8⌋ + 1 for every rate and duration the API allows")
    func frameCounts() {
        func frames(_ duration: Int, _ fps: Int) -> Int {
            SimulatedJob.pattern(for: GenerationSpec(
                mode: .textToVideo, prompt: "p", model: .fast, resolution: .fullHD, duration: duration, fps: fps)).frameCount
        }
        #expect(frames(6, 25) == 145)
        #expect(frames(10, 25) == 249)
        #expect(frames(20, 25) == 497)
        #expect(frames(6, 50) == 297)
        #expect(frames(7, 25) == 169)
    }

    @Test("latencies are drawn from the model's range with a seeded generator: same seed, same draws")
    func seededLatency() async throws {
        let spec = GenerationSpec(mode: .textToVideo, prompt: "p", model: .fast, resolution: .fullHD, duration: 6, fps: 25)
        let pro = GenerationSpec(mode: .textToVideo, prompt: "p", model: .pro, resolution: .fullHD, duration: 6, fps: 25)
        func draws(seed: UInt64) async throws -> [Double] {
            let state = SimulatorState(configuration: SimulatorConfiguration(credits: 1_000, seed: seed))
            var result: [Double] = []
            for index in 0..<20 {
                let job = try await state.accept(index.isMultiple(of: 2) ? spec : pro, at: 100).job
                result.append(job.readyAt - job.acceptedAt)
            }
            return result
        }
        let first = try await draws(seed: 7)
        #expect(first == (try await draws(seed: 7)))
        #expect(first != (try await draws(seed: 8)))
        for (index, latency) in first.enumerated() {
            #expect((index.isMultiple(of: 2) ? 5.0...15.0 : 30.0...90.0).contains(latency))
        }
        #expect(Set(first).count > 10)
    }

    @Test("one render per shape even when many ask at once")
    func sharedRenders() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-render-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pattern = TestPattern(width: 64, height: 48, fps: Rational(25, 1), frameCount: 9)
        let renderer = VideoRenderer()
        let paths = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 { group.addTask { try await renderer.file(for: pattern, in: directory) } }
            var all: [String] = []
            for try await path in group { all.append(path) }
            return all
        }
        #expect(Set(paths).count == 1)
        #expect(await renderer.renderCount(for: pattern, in: directory) == 1)
        let info = try MediaProbe.probe(try #require(paths.first))
        #expect(info.video?.frameCount == 9)
        _ = try await renderer.file(for: pattern, in: directory)
        #expect(await renderer.renderCount(for: pattern, in: directory) == 1)
    }

    @Test("configuration parsing and validation name the bad value")
    func configuration() throws {
        #expect(try SimulatorConfiguration.parseLatency("5-15") == 5...15)
        #expect(try SimulatorConfiguration.parseLatency("0.5-2") == 0.5...2)
        #expect(try SimulatorConfiguration.parseLatency("3") == 3...3)
        #expect(throws: SimulatorServerError.self) { try SimulatorConfiguration.parseLatency("15-5") }
        #expect(throws: SimulatorServerError.self) { try SimulatorConfiguration.parseLatency("a-b") }
        #expect(try FaultPlan.ErrorBurst(parsing: "503x3") == .init(status: .unavailable, count: 3))
        #expect(throws: SimulatorServerError.self) { try FaultPlan.ErrorBurst(parsing: "404x1") }

        var configuration = SimulatorConfiguration()
        configuration.timeScale = 0
        #expect(throws: SimulatorServerError.invalidConfiguration("timeScale must be a positive number, got 0.0")) {
            try configuration.validate()
        }
        #expect(FaultPlan().isEmpty)
        #expect(!FaultPlan(slowResponses: 1).isEmpty)
    }

    @Test("start reports a port that is taken, and a server can be stopped and started again")
    func startAndStop() async throws {
        let first = SimulatorServer(configuration: SimulatorConfiguration(cacheDirectory: Harness.cacheDirectory))
        let url = try await first.start()
        #expect(url.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(url.path == "/v1")
        #expect(try await first.start() == url)
        let port = try #require(url.port)

        let clash = SimulatorServer(configuration: SimulatorConfiguration(port: port, cacheDirectory: Harness.cacheDirectory))
        await #expect(throws: SimulatorServerError.self) { try await clash.start() }

        await first.stop()
        // A stopped server answers nothing: the connection is refused, or accepted by the closing socket and dropped.
        let afterStop = try? await RawHTTP.send("GET", url.appendingPathComponent("generations/x"))
        #expect(afterStop == nil || afterStop?.status == 0, "a stopped server answered \(String(describing: afterStop))")
        let again = try await first.start()
        #expect(try await RawHTTP.send("GET", again.appendingPathComponent("generations/x"), headers: ["Authorization": "Bearer sim-key"]).status == 404)
        await first.stop()
    }
}
