import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

extension V2Suites {
    @Suite("ltx-v2 faults and limits")
    struct V2FaultTests {
        @Test("contentFiltered: the next submit is 422 content_filtered_error, nothing charged; then normal")
        func contentFilter() async throws {
            try await Harness.v2({ $0.faults.contentFiltered = 1 }) { sim in
                let refused = try await sim.v2Submit(smallestTextToVideo)
                #expect(refused.status == 422)
                #expect(refused.envelopeType == "error")
                #expect(refused.errorType == "content_filtered_error")
                var stats = await sim.server.stats()
                #expect(stats.submitsAccepted == 0)
                #expect(stats.costCharged == 0)
                #expect(await sim.server.faults().contentFiltered == 0)
                #expect(try await sim.v2Submit(smallestTextToVideo).status == 202)
                stats = await sim.server.stats()
                #expect(stats.submitsAccepted == 1)
            }
        }

        @Test("contentFiltered applies to sync submits too; the generations dialect has no safety filter")
        func contentFilterScope() async throws {
            try await Harness.v2({ $0.faults.contentFiltered = 1 }) { sim in
                #expect(try await sim.submitDefault()["status"] as? String == "completed")
                #expect(await sim.server.faults().contentFiltered == 1)
                let sync = try await sim.v2Sync("text-to-video", smallestTextToVideo)
                #expect(sync.status == 422)
                #expect(sync.errorType == "content_filtered_error")
                #expect(await sim.server.stats().syncSubmits == 0)
            }
        }

        @Test("errorBurst 529: overloaded_error with Retry-After on any API request, then normal")
        func overloadedBurst() async throws {
            try await Harness.v2({ $0.faults.errorBurst = .init(status: .overloaded, count: 2, retryAfter: 9) }) { sim in
                let first = try await sim.v2Submit(smallestTextToVideo)
                let second = try await RawHTTP.send("POST", sim.url("/v1/upload"), headers: sim.auth(.valid))
                for reply in [first, second] {
                    #expect(reply.status == 529)
                    #expect(reply.envelopeType == "error")
                    #expect(reply.errorType == "overloaded_error")
                    #expect(reply.header("retry-after") == "9")
                }
                #expect(try await sim.v2Submit(smallestTextToVideo).status == 202)
                #expect(await sim.server.stats().submitsAccepted == 1)
            }
        }

        @Test("errorBurst 500/504 are api_error and 503 service_unavailable (with Retry-After) in v2; the generations body keeps its types")
        func serverErrorBursts() async throws {
            try await Harness.v2 { sim in
                for (status, type, retryAfter) in [
                    (FaultPlan.ErrorBurst.Status.serverError, "api_error", false), (.unavailable, "service_unavailable", true),
                    (.gatewayTimeout, "api_error", false),
                ] {
                    await sim.server.setFaults(FaultPlan(errorBurst: .init(status: status, count: 1, retryAfter: 4)))
                    let reply = try await sim.v2Poll("text-to-video", "any")
                    #expect(reply.status == status.rawValue)
                    #expect(reply.errorType == type)
                    #expect((reply.header("retry-after") == "4") == retryAfter, "\(status)")
                }
                await sim.server.setFaults(FaultPlan(errorBurst: .init(status: .gatewayTimeout, count: 1)))
                let generations = try await sim.poll("gen_any")
                #expect(generations.status == 504)
                #expect(generations.errorType == "gateway_timeout")
                #expect(try FaultPlan.ErrorBurst(parsing: "529x2") == .init(status: .overloaded, count: 2))
                #expect(throws: SimulatorServerError.self) { try FaultPlan.ErrorBurst(parsing: "502x1") }
            }
        }

        @Test("request limits are 429 rate_limit_error (window used up, or too many requests in flight with Retry-After 1)")
        func limitTypes() async throws {
            try await Harness.v2({ $0.concurrencyLimit = 1; $0.timeScale = 0.05; $0.faults.slowResponses = 30 }) { sim in
                // A slow poll holds the only slot for about 1.5 s; wait until the server has admitted it.
                async let held = sim.v2Poll("text-to-video", "slow")
                var waited = 0
                while await sim.server.stats().peakInFlight == 0, waited < 400 {
                    try await Task.sleep(for: .milliseconds(5))
                    waited += 1
                }
                let busy = try await sim.v2Submit(smallestTextToVideo)
                #expect(busy.status == 429)
                #expect(busy.errorType == "rate_limit_error")
                #expect(busy.header("retry-after") == "1")
                #expect(try await held.status == 404)
                let stats = await sim.server.stats()
                #expect(stats.rateLimited == 1)
                #expect(stats.concurrencyLimited == 0)
            }
            try await Harness.v2({ $0.requestsPerWindow = 1 }) { sim in
                _ = try await sim.v2Submit(smallestTextToVideo)
                let limited = try await sim.v2Submit(smallestTextToVideo)
                #expect(limited.status == 429)
                #expect(limited.errorType == "rate_limit_error")
                #expect(limited.header("retry-after").flatMap(Int.init).map { $0 >= 1 } == true)
            }
        }

        @Test("generations limit: 2 running at once by default; the third submit is 429 concurrency_limit_error with Retry-After, nothing charged")
        func concurrentGenerations() async throws {
            try await Harness.v2({ $0.fastLatency = 40...40; $0.proLatency = 100...100 }) { sim in
                let fast = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                await sim.server.advanceTime(by: 10)
                _ = try await sim.v2Accepted("text-to-video", ["prompt": "pro", "model": "ltx-2-3-pro", "resolution": "1920x1080", "duration": 6])
                let third = try await sim.v2Submit(smallestTextToVideo)
                #expect(third.status == 429)
                #expect(third.envelopeType == "error")
                #expect(third.errorType == "concurrency_limit_error")
                // The fast job ends 30 s from now: that is the wait.
                let retryAfter = try #require(third.header("retry-after").flatMap(Int.init))
                #expect((29...30).contains(retryAfter))
                // Sync submits count against the same limit.
                let sync = try await sim.v2Sync("text-to-video", smallestTextToVideo)
                #expect(sync.status == 429)
                #expect(sync.errorType == "concurrency_limit_error")
                var stats = await sim.server.stats()
                #expect(stats.submitsAccepted == 2)
                #expect(stats.concurrencyLimited == 2)
                #expect(stats.rateLimited == 0)
                #expect(stats.tooManyRequests == 2)
                #expect(stats.peakConcurrentGenerations == 2)
                #expect(abs(stats.costCharged - 0.84) < 1e-9)  // 0.36 + 0.48

                // A slot frees when a job completes: the fast one, 30 s later.
                await sim.server.advanceTime(by: 31)
                #expect(try await sim.v2Poll("text-to-video", fast).json["status"] as? String == "completed")
                _ = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                stats = await sim.server.stats()
                #expect(stats.peakConcurrentGenerations == 2)
                #expect(stats.concurrencyLimited == 2)
            }
        }

        @Test("failed jobs free their slot too; the limit is configurable (0 turns it off) and the generations dialect has none")
        func concurrentGenerationsConfigured() async throws {
            try await Harness.v2({ $0.fastLatency = 50...50; $0.concurrentGenerations = 1; $0.faults.failedGenerations = 1 }) { sim in
                let failed = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                #expect(try await sim.v2Submit(smallestTextToVideo).status == 429)
                await sim.server.advanceTime(by: 51)
                #expect(try await sim.v2Poll("text-to-video", failed).json["status"] as? String == "failed")
                _ = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                // The generations dialect is not limited by it (its reference has no such rule).
                for _ in 0..<3 { _ = try await sim.submitDefault() }
                let stats = await sim.server.stats()
                #expect(stats.concurrencyLimited == 1)
                #expect(stats.peakConcurrentGenerations == 4)
            }
            try await Harness.v2({ $0.fastLatency = 50...50; $0.concurrentGenerations = 0 }) { sim in
                for _ in 0..<5 { _ = try await sim.v2Accepted("text-to-video", smallestTextToVideo) }
                let stats = await sim.server.stats()
                #expect(stats.concurrencyLimited == 0)
                #expect(stats.peakConcurrentGenerations == 5)
            }
        }

        @Test("failedGenerations: the v2 poll shows failed with completed_at and error {type api_error, message}, no result")
        func failedGeneration() async throws {
            try await Harness.v2({ $0.faults.failedGenerations = 1; $0.faults.filteredGenerations = 1 }) { sim in
                for type in ["api_error", "content_filtered_error"] {
                    let id = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                    let poll = try await sim.v2Poll("text-to-video", id)
                    #expect(poll.json["status"] as? String == "failed")
                    #expect(poll.json["result"] == nil)
                    let completedAt = try #require(poll.json["completed_at"] as? String)
                    #expect((try? Date(completedAt, strategy: .iso8601)) != nil)
                    let error = try #require(poll.json["error"] as? [String: String])
                    #expect(error["type"] == type)
                    #expect(error["message"]?.isEmpty == false)
                    #expect(try await sim.get("/files/\(id).mp4").status == 404)
                }
            }
        }

        @Test("proxyTooLarge: 413 with an HTML body (not JSON), nothing charged, for async and sync submits; then normal")
        func proxyTooLarge() async throws {
            try await Harness.v2({ $0.faults.proxyTooLarge = 2 }) { sim in
                for reply in [try await sim.v2Submit(smallestTextToVideo), try await sim.v2Sync("text-to-video", smallestTextToVideo)] {
                    #expect(reply.status == 413)
                    #expect(reply.header("content-type")?.hasPrefix("text/html") == true)
                    #expect(reply.text.contains("413 Request Entity Too Large"))
                    #expect((try? JSONSerialization.jsonObject(with: Data(reply.body))) == nil)
                }
                #expect(await sim.server.stats().submitsAccepted == 0)
                #expect(await sim.server.faults().proxyTooLarge == 0)
                #expect(try await sim.v2Submit(smallestTextToVideo).status == 202)
            }
        }

        @Test("resetAfterSubmit on v2: charged, then the 202 never arrives; on sync: charged, counted, connection dropped")
        func resetAfterSubmit() async throws {
            try await Harness.v2({ $0.faults.resetAfterSubmit = 2 }) { sim in
                let dropped = try await sim.v2Submit(smallestTextToVideo)
                #expect(!dropped.complete)
                #expect(dropped.body.isEmpty)
                let sync = try await sim.v2Sync("text-to-video", smallestTextToVideo)
                #expect(!sync.complete)
                #expect(sync.body.isEmpty)
                let stats = await sim.server.stats()
                #expect(stats.submitsAccepted == 2)
                #expect(stats.syncSubmits == 1)
                #expect(abs(stats.costCharged - 0.72) < 1e-9)  // 2 × 6 s × $0.06
            }
        }

        @Test("truncatedDownloads also truncates a sync body: full Content-Length announced, about half sent")
        func truncatedSync() async throws {
            try await Harness.v2({ $0.faults.truncatedDownloads = 1 }) { sim in
                let reply = try await sim.v2Sync("text-to-video", smallestTextToVideo)
                #expect(reply.status == 200)
                #expect(!reply.complete)
                let declared = try #require(reply.declaredLength)
                #expect(reply.body.count < declared)
                #expect(reply.body.count >= declared / 2 - 1)
                #expect(await sim.server.faults().truncatedDownloads == 0)
            }
        }

        @Test("wrongFPS on v2 bends a 24 fps request to 25 fps (24 would be what was asked)")
        func wrongFPSOnV2() async throws {
            let state = SimulatorState(configuration: SimulatorConfiguration(faults: FaultPlan(wrongFPS: 1)))
            let request = V2Request(
                mode: .textToVideo, prompt: "p", model: .ltx23Fast, resolution: .landscape1080, duration: 6, fps: 24, generateAudio: false,
                cameraMotion: nil, guidanceScale: nil, imageURI: nil, lastFrameURI: nil, audioURI: nil)
            let acceptance = try await state.acceptV2(V2Spec(request: request), sync: false, at: 0, createdAt: Date())
            let pattern = try #require(acceptance.job.pattern)
            #expect(pattern.fps == Rational(25, 1))
            #expect(pattern.frameCount == 145)
            #expect(pattern.audio == false)
        }
    }
}
