import Foundation
import LTXMedia
import LTXSimulator
import Testing
@testable import LTXAPI

@Suite("Generation client against the simulator", .serialized)
struct GenerationClientTests {
    @Test func submitPollDownloadAndVerify() async throws {
        try await SimulatorLab.with(configure: { $0.fastLatency = 5...5 }) { lab in
            let submitted = try await lab.client.submit(SimulatorLab.textToVideo)
            #expect(submitted.state == .processing)
            #expect(submitted.cost == 0.12)
            let done = try await lab.client.waitForCompletion(submitted, parameters: SimulatorLab.textToVideo)
            #expect(done.state == .completed)
            let path = lab.directory + "/video.mp4"
            let file = try await lab.client.download(done, to: path)
            #expect(file.sha256 == (try SimulatorLab.sha256(ofFile: path)))
            #expect(!FileManager.default.fileExists(atPath: Downloader.partialPath(for: path)))
            let report = try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(25, 1), duration: 6, width: 1920, height: 1080))
            #expect(report.passed, "\(report.failures)")
            #expect(report.measured.frames == 145)
            let stats = await lab.server.stats()
            #expect(stats.submitsAccepted == 1)
            #expect(stats.authorizationOnDownloads == 0)
            #expect(lab.events.calls.allSatisfy { $0.requestID != nil })
        }
    }

    @Test func invalidParametersMakeZeroRequests() async throws {
        try await SimulatorLab.with { lab in
            let bad = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-pro", duration: 30)
            await #expect(throws: APIError.rejectedLocally("duration 30 is outside 6–10 for ltx-2-pro")) {
                try await lab.client.submit(bad)
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit + stats.requests.poll + stats.requests.other == 0)
        }
    }

    @Test func wrongKeyIsUnauthorizedAndExitsThree() async throws {
        try await SimulatorLab.with(key: "not-the-key") { lab in
            let error = await apiError("submit with a wrong key succeeded") { try await lab.client.submit(SimulatorLab.textToVideo) }
            if let error {
                if case .unauthorized = error {} else { Issue.record("unexpected \(error)") }
                if case .hold(_, _, true) = GenerationsDialect().retryPolicy.disposition(for: error, during: .submit) {} else { Issue.record("a 401 must hold and stop submitting") }
            }
            #expect(await lab.server.stats().unauthorized == 1)
        }
    }

    @Test func noCreditsIsInsufficientCreditsAndNothingCharged() async throws {
        try await SimulatorLab.with(configure: { $0.credits = 0.05 }) { lab in
            let error = await apiError("submit without credits succeeded") { try await lab.client.submit(SimulatorLab.textToVideo) }
            if let error {
                if case .insufficientCredits = error {} else { Issue.record("unexpected \(error)") }
                if case .hold(_, _, true) = GenerationsDialect().retryPolicy.disposition(for: error, during: .submit) {} else { Issue.record("a 402 must hold and stop submitting") }
                #expect(error.reason == "insufficient-credits")
            }
            let stats = await lab.server.stats()
            #expect(stats.costCharged == 0)
            #expect(stats.submitsAccepted == 0)
        }
    }

    @Test func serverSide400CarriesTheAPIMessage() async throws {
        // A client catalog that (wrongly) allows 30 s on ltx-2-pro: the simulator's own rules answer 400.
        var catalog = Catalog.generations
        if let index = catalog.models.firstIndex(where: { $0.name == "ltx-2-pro" }) { catalog.models[index].durations = Array(6...30) }
        try await SimulatorLab.with(dialect: GenerationsDialect(catalog: catalog)) { lab in
            let parameters = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-pro", duration: 30, catalog: catalog)
            let error = await apiError("server accepted 30 s on ltx-2-pro") { try await lab.client.submit(parameters) }
            if let error {
                if case .invalidRequest(let message) = error { #expect(message.contains("30")) } else { Issue.record("unexpected \(error)") }
                if case .fail = GenerationsDialect().retryPolicy.disposition(for: error, during: .submit) {} else { Issue.record("a 400 must fail the job") }
            }
        }
    }

    @Test func oversizedUploadIs413AndWrongFormatIs422() async throws {
        try await SimulatorLab.with { lab in
            let big = lab.directory + "/big.jpg"
            var bytes = Data([0xFF, 0xD8, 0xFF, 0xE0])
            bytes.append(Data(count: 21_000_000))
            try bytes.write(to: URL(fileURLWithPath: big))
            let i2v = GenerationParameters(mode: .imageToVideo, prompt: "x", model: "ltx-2-fast")
            let tooLarge = await apiError("a 21 MB upload") { try await lab.client.submit(i2v, inputs: GenerationInputs(image: .file(path: big, contentType: "image/jpeg"))) }
            if case .fileTooLarge? = tooLarge {} else { Issue.record("expected 413, got \(String(describing: tooLarge))") }
            let png = SimulatorLab.repoRoot + "/fixtures/media/logo-alpha.png"
            let a2v = GenerationParameters(mode: .audioToVideo, prompt: "x", model: "ltx-2-pro")
            let error = await apiError("a PNG was accepted as audio") { try await lab.client.submit(a2v, inputs: GenerationInputs(audio: .file(path: png, contentType: "audio/mpeg"))) }
            if let error {
                if case .unsupportedFile = error {} else { Issue.record("unexpected \(error)") }
            }
        }
    }

    @Test func rateLimitedRequestWaitsRetryAfterThenSucceeds() async throws {
        // The server allows 2 requests per 60 s; the client's own governor is set looser so the server's 429 is exercised.
        let loose = RateGovernor.Limits(inFlight: 10, requestsPerWindow: 1000, windowSeconds: 60)
        try await SimulatorLab.with(scale: 0.05, limits: loose, configure: { $0.requestsPerWindow = 2 }) { lab in
            let first = try await lab.client.submit(SimulatorLab.textToVideo)
            _ = try await lab.client.poll(id: first.id, mode: .textToVideo)
            let started = ContinuousClock.now
            let third = try await lab.client.poll(id: first.id, mode: .textToVideo)
            let waited = ContinuousClock.now - started
            #expect(third.id == first.id)
            #expect(await lab.server.stats().rateLimited == 1)
            let announced = try #require(lab.events.waits.last)
            #expect(announced >= 1 && announced <= 60, "waited \(announced) nominal s for Retry-After")
            #expect(waited >= .seconds(announced * 0.05 * 0.9), "retried before Retry-After elapsed")
        }
    }

    @Test func error500WaitsAndRetriesOnceOnly() async throws {
        try await SimulatorLab.with(configure: { $0.faults.errorBurst = .init(status: .serverError, count: 1) }) { lab in
            let status = try await lab.client.submit(SimulatorLab.textToVideo)
            #expect(status.state == .completed)
            #expect(lab.events.waits == [300])
            #expect(await lab.server.stats().submitsAccepted == 1)
        }
        try await SimulatorLab.with(configure: { $0.faults.errorBurst = .init(status: .serverError, count: 2) }) { lab in
            let error = await apiError("two 500s in a row did not fail") { try await lab.client.submit(SimulatorLab.textToVideo) }
            if let error {
                if case .unavailable = error {} else { Issue.record("unexpected \(error)") }
                if case .hold = GenerationsDialect().retryPolicy.disposition(for: error, during: .submit) {} else { Issue.record("must hold the job") }
            }
            #expect(await lab.server.stats().requests.submit == 2)
        }
    }

    @Test func error503BacksOffAndRetries() async throws {
        try await SimulatorLab.with(configure: { $0.faults.errorBurst = .init(status: .unavailable, count: 3, retryAfter: 1) }) { lab in
            let status = try await lab.client.submit(SimulatorLab.textToVideo)
            #expect(status.state == .completed)
            #expect(lab.events.waits.count == 3)
            #expect(lab.events.waits == lab.events.waits.sorted(), "back-off waits must not shrink")
            #expect(await lab.server.stats().submitsAccepted == 1)
        }
    }

    @Test func resetAfterSubmitIsUncertainAndNeverResent() async throws {
        try await SimulatorLab.with(configure: { $0.faults.resetAfterSubmit = 1 }) { lab in
            let error = await apiError("a broken submit reported success") { try await lab.client.submit(SimulatorLab.textToVideo) }
            if let error {
                if case .uncertainSubmit = error {} else { Issue.record("unexpected \(error)") }
                if case .hold = GenerationsDialect().retryPolicy.disposition(for: error, during: .submit) {} else { Issue.record("must hold the job") }
                #expect(error.reason == "uncertain-submit")
            }
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 1)
            #expect(stats.submitsAccepted == 1)
        }
    }

    @Test func truncatedDownloadResumesAndVerifies() async throws {
        try await SimulatorLab.with(configure: { $0.faults.truncatedDownloads = 1 }) { lab in
            let status = try await lab.client.submit(SimulatorLab.textToVideo)
            let path = lab.directory + "/resumed.mp4"
            let file = try await lab.client.download(status, to: path, options: DownloadOptions(retryDelay: 0.01))
            #expect(file.resumes == 1)
            #expect(file.sha256 == (try SimulatorLab.sha256(ofFile: path)))
            let report = try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(25, 1), duration: 6, width: 1920, height: 1080, deep: true))
            #expect(report.passed, "\(report.failures)")
            #expect(await lab.server.stats().requests.download == 2)
        }
    }

    @Test func fortyConcurrentGenerationsStayWithinTheLimits() async throws {
        try await SimulatorLab.with(scale: 0.002, configure: { $0.fastLatency = 5...15 }) { lab in
            let client = lab.client
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        var parameters = SimulatorLab.textToVideo
                        parameters.prompt = "job \(i)"
                        guard let submitted = try? await client.submit(parameters) else { return false }
                        return (try? await client.waitForCompletion(submitted, parameters: parameters))?.state == .completed
                    }
                }
                var results: [Bool] = []
                for await ok in group { results.append(ok) }
                return results
            }
            #expect(outcomes.count == 40 && outcomes.allSatisfy { $0 })
            let stats = await lab.server.stats()
            #expect(stats.peakInFlight <= 10)
            #expect(stats.maxRequestsInWindow <= 100)
            #expect(stats.rateLimited == 0)
            #expect(stats.submitsAccepted == 40)
            #expect(stats.submitsByPrompt.values.allSatisfy { $0 == 1 })
        }
    }

    @Test func failedGenerationAndUnknownIdAreTyped() async throws {
        try await SimulatorLab.with(configure: { $0.faults.failedGenerations = 1; $0.fastLatency = 5...5 }) { lab in
            let submitted = try await lab.client.submit(SimulatorLab.textToVideo)
            let error = await apiError("a failed generation was reported complete") { try await lab.client.waitForCompletion(submitted, parameters: SimulatorLab.textToVideo) }
            if let error {
                if case .generationFailed = error {} else { Issue.record("unexpected \(error)") }
            }
            let unknown = await apiError("unknown id polled fine") { try await lab.client.poll(id: "gen_does_not_exist", mode: .textToVideo) }
            if let unknown {
                if case .notFound = unknown {} else { Issue.record("unexpected \(unknown)") }
            }
        }
    }

    @Test func theKeyNeverAppearsInEventsOrErrors() async throws {
        try await SimulatorLab.with(configure: { $0.faults.errorBurst = .init(status: .unavailable, count: 1, retryAfter: 1) }) { lab in
            let status = try await lab.client.submit(SimulatorLab.textToVideo)
            _ = try await lab.client.download(status, to: lab.directory + "/v.mp4")
            #expect(!lab.events.transcript.contains("test-key-7f3a9c"))
            #expect(!String(describing: status).contains("test-key-7f3a9c"))
        }
        try await SimulatorLab.with(key: "wrong-secret-key-5521") { lab in
            let error = await apiError("a wrong key") { try await lab.client.submit(SimulatorLab.textToVideo) }
            #expect(error != nil && !(error?.description.contains("wrong-secret-key-5521") ?? true))
            #expect(!lab.events.transcript.contains("wrong-secret-key-5521"))
        }
    }

}
