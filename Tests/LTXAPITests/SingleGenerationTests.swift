import Foundation
import LTXAPI
import LTXCore
import LTXGeneration
import LTXMedia
import LTXSimulator
import Testing

/// The generation steps that `generate` and the pipeline share, end to end against the simulator.
@Suite("LTXGeneration")
struct SingleGenerationTests {
    @Test func wrongFrameCountFailsVerificationInAFullRun() async throws {
        try await SimulatorLab.with(configure: { $0.faults.wrongFrameCount = 1 }) { lab in
            let order = GenerationOrder(parameters: SimulatorLab.textToVideo, outputDirectory: lab.directory)
            let outcome = try await SingleGeneration(steps: GenerationSteps(client: lab.client)).run(order)
            #expect(!outcome.verification.passed)
            #expect(outcome.verification.failures.map(\.name).contains("frame_count_8n+1"))
        }
    }

    @Test func imageToVideoRunPreflightsAndUploads() async throws {
        try await SimulatorLab.with { lab in
            let parameters = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-fast")
            let order = GenerationOrder(parameters: parameters, sources: InputSources(image: .file(SimulatorLab.repoRoot + "/fixtures/media/quadrants-4x3.jpg")), outputDirectory: lab.directory)
            let outcome = try await SingleGeneration(steps: GenerationSteps(client: lab.client)).run(order)
            #expect(outcome.verification.passed)
            let preflight = try #require(outcome.preflight.first)
            #expect(preflight.actions.map(\.action).contains(.cropped))
            #expect(outcome.cost == 0.12 && outcome.estimatedCost == 0.12)
        }
    }

    @Test func audioToVideoFollowsTheAudioAt25fps() async throws {
        try await SimulatorLab.with(dialect: LTXV2Dialect()) { lab in
            let parameters = GenerationParameters(mode: .audioToVideo, prompt: "a choir", catalog: .ltxV2)
            #expect(parameters.model == "ltx-2-3-pro" && parameters.fps == 25)
            let order = GenerationOrder(parameters: parameters, sources: InputSources(audio: .file(SimulatorLab.repoRoot + "/fixtures/media/voice-3s.wav")), outputDirectory: lab.directory)
            let outcome = try await SingleGeneration(steps: GenerationSteps(client: lab.client)).run(order)
            #expect(outcome.verification.passed, "\(outcome.verification.failures)")
            #expect(outcome.verification.measured.fps == Rational(25, 1))
            #expect(outcome.verification.measured.frames == 73)
        }
    }

    @Test func aVideoWithoutAudioIsAskedForAndVerified() async throws {
        try await SimulatorLab.with(dialect: LTXV2Dialect()) { lab in
            var parameters = LTXV2ClientTests.textToVideo
            parameters.generateAudio = false
            let outcome = try await SingleGeneration(steps: GenerationSteps(client: lab.client)).run(GenerationOrder(parameters: parameters, outputDirectory: lab.directory))
            #expect(outcome.verification.passed)
            #expect(outcome.verification.measured.audioCodec == nil)
        }
    }

    @Test func theErrorTableDecidesWhatAJobDoes() {
        let generations = GenerationsDialect().retryPolicy, v2 = LTXV2Dialect().retryPolicy
        #expect(generations.disposition(for: .unauthorized("no"), during: .submit) == .hold(reason: "unauthorized", detail: APIError.unauthorized("no").description, stopsSubmitting: true))
        #expect(generations.disposition(for: .insufficientCredits("no"), during: .submit) == .hold(reason: "insufficient-credits", detail: APIError.insufficientCredits("no").description, stopsSubmitting: true))
        #expect(generations.disposition(for: .invalidRequest("30 s"), during: .submit) == .fail(reason: "invalid-request", detail: APIError.invalidRequest("30 s").description))
        #expect(generations.disposition(for: .unsupportedFile("x"), during: .submit) == .reencodeInputs(reason: "unsupported-file", detail: APIError.unsupportedFile("x").description))
        #expect(v2.disposition(for: .contentFiltered("x"), during: .submit) == .fail(reason: "content-filtered", detail: APIError.contentFiltered("x").description))
        #expect(generations.disposition(for: .uncertainSubmit("reset"), during: .submit) == .hold(reason: "uncertain-submit", detail: APIError.uncertainSubmit("reset").description, stopsSubmitting: false))
        #expect(generations.disposition(for: .unavailable("503"), during: .submit) == .hold(reason: "api-unavailable", detail: APIError.unavailable("503").description, stopsSubmitting: false))
        #expect(v2.disposition(for: .notFound("gone"), during: .poll) == .fail(reason: "expired", detail: APIError.notFound("gone").description))
        #expect(v2.disposition(for: .cancelled, during: .poll) == .stop)
    }

    @Test func anEditedErrorTableIsObeyed() throws {
        let edited = try RetryPolicy.load(Data("""
        { "rules": [ { "status": 400, "action": "hold" }, { "status": 422, "action": "transcode" } ],
          "transport": { "status": 0, "action": "backoff", "retries": 1 },
          "other_server_error": { "status": 0, "action": "backoff", "retries": 1 } }
        """.utf8))
        if case .hold(let reason, _, let stops) = edited.disposition(for: .invalidRequest("x"), during: .submit) {
            #expect(reason == "invalid-request" && !stops)
        } else { Issue.record("400 → hold was not obeyed") }
        if case .reencodeInputs = edited.disposition(for: .contentFiltered("x"), during: .submit) {} else { Issue.record("422 → transcode was not obeyed") }
    }

    @Test func absurdRetryAfterValuesAreBounded() {
        let policy = LTXV2Dialect().retryPolicy
        let rule = policy.rule(for: 429)
        #expect(policy.delay(rule, attempt: 0, retryAfter: .infinity) == RetryPolicy.longestRetryAfter)
        #expect(policy.delay(rule, attempt: 0, retryAfter: 1e300) == RetryPolicy.longestRetryAfter)
        #expect(policy.delay(rule, attempt: 0, retryAfter: -4) == 0)
        #expect(policy.delay(policy.rule(for: 503), attempt: 10_000, retryAfter: nil) <= 300)
    }
}
