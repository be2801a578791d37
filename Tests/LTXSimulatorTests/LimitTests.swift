import Foundation
import Testing
@testable import LTXSimulator

@Suite("Rate limits")
struct LimitTests {
    @Test("11 concurrent slow requests: exactly one 429 with Retry-After: 1")
    func concurrency() async throws {
        // timeScale 1000: a 10 s (simulated) slow poll would take hours of real time, so the first ten stay in flight
        // until the test advances the clock; no real waiting, no dependence on machine speed.
        try await Harness.with({ $0.timeScale = 1000; $0.faults.slowResponses = 10 }) { sim in
            let polls = Task {
                try await withThrowingTaskGroup(of: HTTPReply.self) { group in
                    for index in 0..<11 {
                        group.addTask { try await sim.poll("gen_concurrent_\(index)") }
                    }
                    var all: [HTTPReply] = []
                    for try await reply in group { all.append(reply) }
                    return all
                }
            }
            var stats = await sim.server.stats()
            for _ in 0..<1_000 where stats.requests.poll < 11 || stats.rateLimited < 1 {
                try await Task.sleep(for: .milliseconds(10))
                stats = await sim.server.stats()
            }
            #expect(stats.peakInFlight == 10)
            #expect(stats.rateLimited == 1)
            await sim.server.advanceTime(by: 10)
            let replies = try await polls.value

            let limited = replies.filter { $0.status == 429 }
            #expect(limited.count == 1)
            #expect(replies.filter { $0.status == 404 }.count == 10)
            #expect(limited.first?.header("retry-after") == "1")
            #expect(limited.first?.errorType == "rate_limited")
            stats = await sim.server.stats()
            #expect(stats.peakInFlight == 10)
            #expect(stats.rateLimited == 1)
            #expect(stats.requests.poll == 11)
        }
    }

    @Test("beyond the window's quota: 429 with Retry-After until the oldest request leaves; 429s do not count")
    func window() async throws {
        try await Harness.with({ $0.requestsPerWindow = 3; $0.windowSeconds = 60 }) { sim in
            for index in 0..<3 {
                #expect(try await sim.poll("gen_w\(index)").status == 404)
            }
            let limited = try await sim.poll("gen_w3")
            #expect(limited.status == 429)
            #expect(limited.errorType == "rate_limited")
            let retryAfter = try #require(limited.header("retry-after").flatMap { Int($0) })
            // At most the window; less by however much simulated time the three requests took on a loaded machine.
            #expect((1...60).contains(retryAfter))
            #expect(limited.errorMessage?.contains("3 requests per 60 s") == true)
            #expect(try await sim.poll("gen_w4").status == 429)
            let stats = await sim.server.stats()
            #expect(stats.maxRequestsInWindow == 3)
            #expect(stats.rateLimited == 2)
        }
    }

    @Test("the window slides: once Retry-After simulated seconds have passed a request is admitted again")
    func windowSlides() async throws {
        // timeScale 1000: real time barely moves the simulated clock, so only advanceTime does.
        try await Harness.with({ $0.requestsPerWindow = 2; $0.windowSeconds = 60; $0.timeScale = 1000 }) { sim in
            #expect(try await sim.poll("gen_s0").status == 404)
            await sim.server.advanceTime(by: 10)
            #expect(try await sim.poll("gen_s1").status == 404)
            let limited = try await sim.poll("gen_s2")
            #expect(limited.status == 429)
            let retryAfter = try #require(limited.header("retry-after").flatMap { Int($0) })
            #expect(retryAfter == 50)
            await sim.server.advanceTime(by: Double(retryAfter) - 1)
            #expect(try await sim.poll("gen_s3").status == 429)
            await sim.server.advanceTime(by: 1)
            #expect(try await sim.poll("gen_s4").status == 404)
            let stats = await sim.server.stats()
            #expect(stats.maxRequestsInWindow == 2)
            #expect(stats.rateLimited == 2)
        }
    }

    @Test("a tiny time scale shrinks the window: 60 simulated seconds pass in 300 ms")
    func windowTimeScale() async throws {
        try await Harness.with({ $0.requestsPerWindow = 1; $0.windowSeconds = 60; $0.timeScale = 0.005 }) { sim in
            // The first poll fills the window; keep polling until one is refused (on a very slow machine the window
            // may pass between two polls, which only delays the refusal).
            var limited: HTTPReply?
            for index in 0..<20 where limited == nil {
                let reply = try await sim.poll("gen_t\(index)")
                if reply.status == 429 { limited = reply }
            }
            let refusal = try #require(limited)
            let retryAfter = try #require(refusal.header("retry-after").flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            try await Task.sleep(for: .seconds(Double(retryAfter) * 0.005 + 0.02))
            #expect(try await sim.poll("gen_t_after").status == 404)
        }
    }

    @Test("downloads and the stats endpoint are outside the API limits")
    func downloadsUnlimited() async throws {
        try await Harness.with({ $0.requestsPerWindow = 1 }) { sim in
            let first = try await sim.submit(json: #"{"prompt":"one"}"#)
            #expect(first.status == 200)
            for _ in 0..<3 {
                let download = try await sim.get("/files/gen_none.mp4")
                #expect(download.status == 404)
                let stats = try await sim.get("/_simulator/stats")
                #expect(stats.status == 200)
            }
            let limited = try await sim.poll("gen_x")
            #expect(limited.status == 429)
        }
    }
}
