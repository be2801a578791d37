import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

@Suite("Fault injection")
struct FaultTests {
    @Test("errorBurst 503: the next N API requests are 503 with Retry-After, then normal; nothing is charged")
    func unavailableBurst() async throws {
        try await Harness.with { sim in
            await sim.server.setFaults(FaultPlan(errorBurst: .init(status: .unavailable, count: 2, retryAfter: 7)))
            for _ in 0..<2 {
                let reply = try await sim.submit(json: #"{"prompt":"burst"}"#)
                #expect(reply.status == 503)
                #expect(reply.errorType == "unavailable")
                #expect(reply.header("retry-after") == "7")
            }
            #expect(try await sim.submit(json: #"{"prompt":"burst"}"#).status == 200)
            let stats = await sim.server.stats()
            #expect(stats.submitsAccepted == 1)
            #expect(stats.costCharged == 0.12)
            #expect(await sim.server.faults().errorBurst?.count == 0)
        }
    }

    @Test("errorBurst 500: server_error without Retry-After, also on polls")
    func serverErrorBurst() async throws {
        try await Harness.with({ $0.faults.errorBurst = .init(status: .serverError, count: 1) }) { sim in
            let reply = try await sim.poll("gen_any")
            #expect(reply.status == 500)
            #expect(reply.errorType == "server_error")
            #expect(reply.header("retry-after") == nil)
            #expect(try await sim.poll("gen_any").status == 404)
        }
    }

    @Test("failedGenerations: the job ends failed with generation_failed and has no video")
    func failedGeneration() async throws {
        try await Harness.with({ $0.faults.failedGenerations = 1 }) { sim in
            let job = try await sim.submitDefault()
            let id = try #require(job["id"] as? String)
            let poll = try await sim.poll(id)
            #expect(poll.json["status"] as? String == "failed")
            #expect(poll.json["video_url"] == nil)
            let error = try #require(poll.json["error"] as? [String: String])
            #expect(error["type"] == "generation_failed")
            #expect(error["message"]?.isEmpty == false)
            #expect(try await sim.get("/files/\(id).mp4").status == 404)
            #expect(try await sim.submitDefault()["status"] as? String == "completed")
        }
    }

    @Test("resetAfterSubmit: accepted and charged, but the connection drops before the body")
    func resetAfterSubmit() async throws {
        try await Harness.with({ $0.faults.resetAfterSubmit = 1 }) { sim in
            let dropped = try await sim.submit(json: #"{"prompt":"lost reply"}"#)
            #expect(!dropped.complete)
            #expect(dropped.body.isEmpty)
            var stats = await sim.server.stats()
            #expect(stats.submitsAccepted == 1)
            #expect(stats.costCharged == 0.12)
            #expect(stats.submitsByPrompt["lost reply"] == 1)

            let next = try await sim.submit(json: #"{"prompt":"lost reply"}"#)
            #expect(next.status == 200)
            #expect(next.complete)
            stats = await sim.server.stats()
            #expect(stats.submitsByPrompt["lost reply"] == 2)
        }
    }

    @Test("truncatedDownloads: full Content-Length announced, about half sent, connection closed; the next one is whole")
    func truncatedDownload() async throws {
        try await Harness.with({ $0.faults.truncatedDownloads = 1 }) { sim in
            let videoURL = try #require(try await sim.submitDefault()["video_url"] as? String)
            let cut = try await sim.download(videoURL)
            let whole = try await sim.download(videoURL)
            #expect(whole.complete)
            let size = whole.body.count
            #expect(cut.status == 200)
            #expect(cut.declaredLength == size)
            #expect(!cut.complete)
            #expect(cut.body.count < size * 3 / 4)
            #expect(cut.body.count > 0)
            #expect(cut.body == Array(whole.body.prefix(cut.body.count)))
        }
    }

    @Test("slowResponses delays every poll by that many simulated seconds")
    func slowResponses() async throws {
        try await Harness.with({ $0.timeScale = 0.01; $0.faults.slowResponses = 20 }) { sim in
            let id = try #require(try await sim.submitDefault()["id"] as? String)
            let seconds = try await measure {
                let reply = try await sim.poll(id)
                #expect(reply.status == 200)
            }
            #expect(seconds >= 0.2)
            #expect(await sim.server.faults().slowResponses == 20)  // not a count: it stays
        }
    }

    @Test("wrongFrameCount renders one frame too many for the next job only")
    func wrongFrameCount() async throws {
        try await Harness.with({ $0.faults.wrongFrameCount = 1 }) { sim in
            let bent = try #require(try await sim.submitDefault()["video_url"] as? String)
            let normal = try #require(try await sim.submitDefault()["video_url"] as? String)
            let bentInfo = try probe(try await sim.download(bent).body)
            #expect(bentInfo.video?.frameCount == 146)
            #expect(bentInfo.video?.fps == Rational(25, 1))
            #expect(try probe(try await sim.download(normal).body).video?.frameCount == 145)
        }
    }

    @Test("wrongFPS renders at 24 fps with the requested frame count")
    func wrongFPS() async throws {
        try await Harness.with({ $0.faults.wrongFPS = 1 }) { sim in
            let bent = try #require(try await sim.submitDefault()["video_url"] as? String)
            let info = try probe(try await sim.download(bent).body)
            #expect(info.video?.fps == Rational(24, 1))
            #expect(info.video?.frameCount == 145)
            #expect(info.video?.width == 1920)
            #expect(await sim.server.faults().wrongFPS == 0)
        }
    }
}
