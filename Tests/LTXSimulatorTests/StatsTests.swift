import Foundation
import Testing
@testable import LTXSimulator

@Suite("Stats")
struct StatsTests {
    @Test("the stats endpoint serves exactly the documented keys, matching the in-process stats")
    func statsEndpoint() async throws {
        // A window longer than the test, so that a slow machine cannot slide requests out of it.
        try await Harness.with({ $0.windowSeconds = 1_000_000 }) { sim in
            let first = try await sim.submitDefault(prompt: "harbour at dawn")
            _ = try await sim.submitDefault(prompt: "harbour at dawn")
            _ = try await sim.submitDefault(prompt: "forest")
            #expect(try await sim.submit(json: #"{"prompt":""}"#).status == 400)
            let id = try #require(first["id"] as? String)
            for _ in 0..<3 { _ = try await sim.poll(id) }
            _ = try await sim.download(try #require(first["video_url"] as? String))
            _ = try await sim.get("/v1/unknown", headers: sim.auth(.valid))
            _ = try await sim.poll(id, credentials: .none)

            let json = try await sim.statsJSON()
            #expect(Set(json.keys) == [
                "requests", "submits_accepted", "submits_by_prompt", "rate_limited", "peak_in_flight", "max_requests_in_window",
                "cost_charged", "credits", "authorization_on_downloads", "unauthorized",
                "uploads", "authorization_on_uploads", "expired_polls", "sync_submits",
                "concurrency_limited", "peak_concurrent_generations", "cost_by_generation", "unpriced_generations", "content_failures",
            ])
            // The generations dialect's jobs have known prices: each one's cost is listed, none is unpriced.
            let costs = try #require(json["cost_by_generation"] as? [String: Double])
            #expect(costs.count == 3)
            let firstID = try #require(first["id"] as? String)
            #expect(abs((costs[firstID] ?? 0) - 0.12) < 1e-9)
            #expect(json["unpriced_generations"] as? Int == 0)
            #expect(json["peak_concurrent_generations"] as? Int == 1)
            let requests = try #require(json["requests"] as? [String: Int])
            #expect(requests == ["submit": 4, "poll": 4, "download": 1, "other": 1])
            #expect(json["submits_accepted"] as? Int == 3)
            #expect(json["submits_by_prompt"] as? [String: Int] == ["harbour at dawn": 2, "forest": 1])
            #expect(json["unauthorized"] as? Int == 1)
            #expect(json["rate_limited"] as? Int == 0)
            #expect(json["peak_in_flight"] as? Int == 1)
            #expect(json["max_requests_in_window"] as? Int == 8)
            #expect(abs((json["cost_charged"] as? Double ?? 0) - 0.36) < 1e-9)
            #expect(abs((json["credits"] as? Double ?? 0) - 99.64) < 1e-9)

            let stats = await sim.server.stats()
            let decoded = try JSONDecoder().decode(SimulatorStats.self, from: try await sim.get("/_simulator/stats").body.asData)
            #expect(decoded == stats)
        }
    }
}

extension Array where Element == UInt8 {
    var asData: Data { Data(self) }
}
