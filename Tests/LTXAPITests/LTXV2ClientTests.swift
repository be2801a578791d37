import Foundation
import LTXMedia
import LTXSimulator
import Testing
@testable import LTXAPI

@Suite("ltx-v2 dialect against the simulator", .serialized)
struct LTXV2ClientTests {
    static let v2 = LTXV2Dialect()
    static let textToVideo = GenerationParameters(mode: .textToVideo, prompt: "a tram at night", model: "ltx-2-3-fast", catalog: .ltxV2)

    @Test func asyncSubmitPollsToCompletionAndTheVideoVerifies() async throws {
        try await SimulatorLab.with(dialect: Self.v2, configure: { $0.fastLatency = 5...5 }) { lab in
            let submitted = try await lab.client.submit(Self.textToVideo)
            #expect(submitted.state == .pending)
            let done = try await lab.client.waitForCompletion(submitted, parameters: Self.textToVideo)
            #expect(done.state == .completed && done.videoURL != nil)
            let path = lab.directory + "/v2.mp4"
            _ = try await lab.client.download(done, to: path)
            let expected = PreflightTargets.expectedVideo(Self.textToVideo, catalog: .ltxV2, audioSeconds: nil, tolerance: 0.5, deep: false)
            #expect(expected.fps == Rational(24, 1) && expected.audioExpected)
            let report = try VideoVerifier.verify(path, against: expected)
            #expect(report.passed, "\(report.failures)")
            #expect(report.measured.frames == 145)
            #expect(lab.events.calls.allSatisfy { $0.requestID != nil })
        }
    }

    @Test func smallFilesGoAsDataURIsLargerOnesAreUploadedWithoutTheKey() async throws {
        let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
        let parameters = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-3-fast", catalog: .ltxV2)
        try await SimulatorLab.with(dialect: Self.v2) { lab in
            let status = try await lab.client.submit(parameters, inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))
            #expect(!status.id.isEmpty)
            #expect(await lab.server.stats().uploads == 0)
        }
        try await SimulatorLab.with(dialect: LTXV2Dialect(dataURIMaxBytes: 0)) { lab in
            let status = try await lab.client.submit(parameters, inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))
            #expect(!status.id.isEmpty)
            let stats = await lab.server.stats()
            #expect(stats.uploads == 1)
            #expect(stats.authorizationOnUploads == 0)
            #expect(stats.requests.other == 1, "one POST /v1/upload")
        }
    }

    @Test func anHTTPSURLIsPassedThrough() async throws {
        try await SimulatorLab.with(dialect: Self.v2) { lab in
            let parameters = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-3-fast", catalog: .ltxV2)
            let status = try await lab.client.submit(parameters, inputs: GenerationInputs(image: .url("https://images.example.com/cat.jpg")))
            #expect(!status.id.isEmpty)
            #expect(await lab.server.stats().uploads == 0)
        }
    }

    @Test func contentFilterFailsWithoutRetrying() async throws {
        try await SimulatorLab.with(dialect: Self.v2, configure: { $0.faults.contentFiltered = 1 }) { lab in
            let error = await apiError("a filtered submit") { try await lab.client.submit(Self.textToVideo) }
            if case .contentFiltered(let message)? = error { #expect(message.contains("content_filtered_error")) } else { Issue.record("\(String(describing: error))") }
            #expect(await lab.server.stats().requests.submit == 1)
        }
    }

    @Test func overloadedBacksOffAndSucceeds() async throws {
        try await SimulatorLab.with(dialect: Self.v2, configure: { $0.faults.errorBurst = .init(status: .overloaded, count: 2, retryAfter: 1) }) { lab in
            let status = try await lab.client.submit(Self.textToVideo)
            #expect(!status.id.isEmpty)
            #expect(lab.events.waits.count == 2)
        }
    }

    @Test func anExpiredJobIsNotFound() async throws {
        try await SimulatorLab.with(dialect: Self.v2) { lab in
            let status = try await lab.client.submit(Self.textToVideo)
            _ = try await lab.client.poll(id: status.id, mode: .textToVideo)
            await lab.server.advanceTime(by: 25 * 3600)
            let error = await apiError("polling an expired job") { try await lab.client.poll(id: status.id, mode: .textToVideo) }
            if case .notFound? = error {} else { Issue.record("\(String(describing: error))") }
            #expect(await lab.server.stats().expiredPolls == 1)
        }
    }

    @Test func theSyncEndpointStreamsTheVideoToDisk() async throws {
        try await SimulatorLab.with(dialect: Self.v2) { lab in
            let path = lab.directory + "/sync.mp4"
            let result = try await lab.client.generateSync(Self.textToVideo, to: path)
            #expect(result.file.sha256 == (try SimulatorLab.sha256(ofFile: path)))
            let report = try VideoVerifier.verify(path, against: PreflightTargets.expectedVideo(Self.textToVideo, catalog: .ltxV2, audioSeconds: nil, tolerance: 0.5, deep: true))
            #expect(report.passed, "\(report.failures)")
            #expect(await lab.server.stats().syncSubmits == 1)
        }
    }

    @Test func catalogRulesOfThisProtocol() {
        let validator = RequestValidator(catalog: .ltxV2)
        let removed = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-fast", fps: 25, catalog: .ltxV2)
        #expect(validator.violations(removed).map(\.message) == ["model ltx-2-fast was removed from the ltx-v2 service on 2026-08-15; use ltx-2-3-fast instead"])
        let portrait = GenerationParameters(mode: .textToVideo, prompt: "x", resolution: Resolution(width: 1080, height: 1920), catalog: .ltxV2)
        #expect(validator.violations(portrait).isEmpty)
        let i2v = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-5-fast", catalog: .ltxV2)
        #expect(validator.violations(i2v, hasLastFrame: true).map(\.parameter) == ["last_frame"])
        #expect(validator.violations(GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-3-pro", catalog: .ltxV2), hasLastFrame: true).isEmpty)
        var seeded = Self.textToVideo
        seeded.seed = 4
        #expect(validator.violations(seeded).map(\.parameter) == ["seed"])
        var motion = Self.textToVideo
        motion.cameraMotion = "barrel_roll"
        #expect(validator.violations(motion).map(\.parameter) == ["camera_motion"])
        #expect(!Catalog.ltxV2.inputs.image.formats.contains("gif"))
        // The generations protocol has none of these fields.
        var audioOff = GenerationParameters(mode: .textToVideo, prompt: "x")
        audioOff.generateAudio = false
        #expect(RequestValidator().violations(audioOff).map(\.parameter) == ["generate_audio"])
    }

    @Test func lastFrameOnAModelWithoutItMakesNoRequest() async throws {
        try await SimulatorLab.with(dialect: Self.v2) { lab in
            let parameters = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-5-fast", catalog: .ltxV2)
            let error = await apiError("last frame on ltx-2-5-fast") {
                try await lab.client.submit(parameters, inputs: GenerationInputs(image: .url("https://a.example/1.jpg"), lastFrame: .url("https://a.example/2.jpg")))
            }
            if case .rejectedLocally? = error {} else { Issue.record("\(String(describing: error))") }
            #expect(await lab.server.stats().requests.total == 0)
        }
    }
}
