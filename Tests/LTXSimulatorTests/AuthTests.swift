import Foundation
import Testing
@testable import LTXSimulator

@Suite("Authentication, error bodies, request ids")
struct AuthTests {
    @Test("a missing or wrong key is 401 with the fixed body; a right key passes")
    func unauthorized() async throws {
        try await Harness.with { sim in
            let body = #"{"prompt":"a lighthouse"}"#
            for credentials: Harness.Credentials in [.none, .header("Bearer wrong-key"), .header("Basic c2ltLWtleQ=="), .header("Bearer")] {
                let reply = try await sim.submit(json: body, credentials: credentials)
                #expect(reply.status == 401)
                #expect(reply.header("content-type") == "application/json")
                let error = try #require(reply.json["error"] as? [String: String])
                #expect(error == ["type": "unauthorized", "message": "invalid API key"])
            }
            let poll = try await sim.poll("gen_whatever", credentials: .none)
            #expect(poll.status == 401)
            // The router ignores empty path segments; the gate must not be bypassed by them.
            let sneaky = try await RawHTTP.send("POST", sim.url("//v1//generations/text-to-video"), body: Array(body.utf8))
            #expect(sneaky.status == 401)
            let lowerScheme = try await sim.submit(json: body, credentials: .header("bearer \(sim.key)"))
            #expect(lowerScheme.status == 200)

            let stats = await sim.server.stats()
            #expect(stats.unauthorized == 6)
            #expect(stats.submitsAccepted == 1)
            #expect(stats.costCharged == 0.12)
        }
    }

    @Test("every response carries a unique x-request-id")
    func requestIDs() async throws {
        try await Harness.with { sim in
            var replies: [HTTPReply] = []
            replies.append(try await sim.submit(json: #"{"prompt":"ids"}"#))
            replies.append(try await sim.submit(json: #"{"prompt":"ids"}"#, credentials: .none))
            replies.append(try await sim.get("/v1/nothing-here", headers: sim.auth(.valid)))
            replies.append(try await sim.get("/_simulator/stats"))
            replies.append(try await sim.get("/files/gen_missing.mp4"))
            let ids = replies.compactMap { $0.header("x-request-id") }
            #expect(ids.count == replies.count)
            #expect(ids.allSatisfy { $0.hasPrefix("req_") && $0.count > 8 })
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test("unknown endpoints and modes are 404 in the API's error shape")
    func notFound() async throws {
        try await Harness.with { sim in
            let route = try await sim.get("/v1/nothing-here", headers: sim.auth(.valid))
            #expect(route.status == 404)
            #expect(route.errorType == "not_found")

            let mode = try await sim.submit("video-to-video", json: #"{"prompt":"x"}"#)
            #expect(mode.status == 404)
            #expect(mode.errorType == "not_found")
            #expect(mode.errorMessage?.contains("video-to-video") == true)

            let poll = try await sim.poll("gen_does_not_exist")
            #expect(poll.status == 404)
            #expect(poll.errorMessage?.contains("gen_does_not_exist") == true)

            let stats = await sim.server.stats()
            #expect(stats.requests.other == 1)
            #expect(stats.requests.submit == 1)
            #expect(stats.requests.poll == 1)
            #expect(stats.submitsAccepted == 0)
        }
    }
}
