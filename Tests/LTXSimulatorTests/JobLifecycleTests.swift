import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

@Suite("Jobs: processing, completion, downloads")
struct JobLifecycleTests {
    @Test("a job is processing until its latency has passed in simulated time, then completed with a video_url")
    func processingThenCompleted() async throws {
        // timeScale 1000: real time barely moves the simulated clock, so only advanceTime does.
        try await Harness.with({ $0.fastLatency = 20...20; $0.timeScale = 1000 }) { sim in
            let job = try await sim.submitDefault()
            #expect(job["status"] as? String == "processing")
            #expect(job["video_url"] == nil)
            let id = try #require(job["id"] as? String)

            let early = try await sim.poll(id)
            #expect(early.status == 200)
            #expect(early.json["status"] as? String == "processing")
            let notYet = try await sim.get("/files/\(id).mp4")
            #expect(notYet.status == 404)

            await sim.server.advanceTime(by: 19)
            #expect(try await sim.poll(id).json["status"] as? String == "processing")
            await sim.server.advanceTime(by: 1.5)
            let done = try await sim.poll(id)
            #expect(done.json["status"] as? String == "completed")
            #expect(done.json["video_url"] as? String == "\(sim.origin.absoluteString)/files/\(id).mp4")
            #expect(done.json["id"] as? String == id)
            #expect(done.json["cost"] as? Double == 0.12)
        }
    }

    @Test("with a tiny time scale a pro job's 30-90 s latency passes in well under a second of real time")
    func timeScale() async throws {
        try await Harness.with({ $0.timeScale = 0.002; $0.proLatency = 30...90 }) { sim in
            let job = try await sim.submit(json: #"{"prompt":"fast clock","model":"ltx-2-pro"}"#)
            #expect(job.json["status"] as? String == "processing")
            let id = try #require(job.json["id"] as? String)
            var status = ""
            let seconds = try await measure {
                for _ in 0..<100 where status != "completed" {
                    status = try await sim.poll(id).json["status"] as? String ?? ""
                    if status != "completed" { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
            #expect(status == "completed")
            _ = seconds  // at most 100 polls 20 ms apart: the job finished in scaled, not real, time
        }
    }

    @Test("the downloaded MP4 has the requested resolution, exact fps and N = 8·⌊D·F/8⌋ + 1 frames, with audio")
    func downloadIsTheRightVideo() async throws {
        try await Harness.with { sim in
            let job = try await sim.submitDefault()
            #expect(job["status"] as? String == "completed")
            let videoURL = try #require(job["video_url"] as? String)
            #expect(videoURL.hasPrefix(sim.origin.absoluteString + "/files/"))

            let reply = try await sim.download(videoURL)
            #expect(reply.status == 200)
            #expect(reply.complete)
            #expect(reply.header("content-type") == "video/mp4")
            #expect(reply.header("accept-ranges") == "bytes")
            #expect(reply.declaredLength == reply.body.count)

            let info = try probe(reply.body)
            let video = try #require(info.video)
            #expect(video.width == 1920)
            #expect(video.height == 1080)
            #expect(video.fps == Rational(25, 1))
            #expect(video.frameCount == 145)
            #expect(info.audio != nil)

            let stats = await sim.server.stats()
            #expect(stats.requests.download == 1)
            #expect(stats.authorizationOnDownloads == 0)
        }
    }

    @Test("Range requests: 206 with Content-Range for N-, N-M and -S; 416 past the end")
    func ranges() async throws {
        try await Harness.with { sim in
            let videoURL = try #require(try await sim.submitDefault()["video_url"] as? String)
            let full = try await sim.download(videoURL)
            try #require(full.status == 200 && full.complete)
            let size = full.body.count

            let tail = try await sim.download(videoURL, headers: ["Range": "bytes=100-"])
            #expect(tail.status == 206)
            #expect(tail.header("content-range") == "bytes 100-\(size - 1)/\(size)")
            #expect(tail.declaredLength == size - 100)
            #expect(tail.body == Array(full.body[100...]))

            let middle = try await sim.download(videoURL, headers: ["Range": "bytes=10-19"])
            #expect(middle.status == 206)
            #expect(middle.header("content-range") == "bytes 10-19/\(size)")
            #expect(middle.body == Array(full.body[10...19]))

            let suffix = try await sim.download(videoURL, headers: ["Range": "bytes=-50"])
            #expect(suffix.status == 206)
            #expect(suffix.body == Array(full.body[(size - 50)...]))

            let beyond = try await sim.download(videoURL, headers: ["Range": "bytes=\(size)-"])
            #expect(beyond.status == 416)
            #expect(beyond.header("content-range") == "bytes */\(size)")
        }
    }

    @Test("an Authorization header on a download is recorded (the client must never send its key there)")
    func authorizationOnDownload() async throws {
        try await Harness.with { sim in
            let videoURL = try #require(try await sim.submitDefault()["video_url"] as? String)
            let reply = try await sim.download(videoURL, headers: sim.auth(.valid))
            #expect(reply.status == 200)
            #expect(await sim.server.stats().authorizationOnDownloads == 1)
        }
    }

    @Test("unknown and failed videos are 404")
    func missingVideos() async throws {
        try await Harness.with { sim in
            let unknown = try await sim.get("/files/gen_nope.mp4")
            #expect(unknown.status == 404)
            #expect(unknown.errorType == "not_found")
            let wrongName = try await sim.get("/files/whatever.txt")
            #expect(wrongName.status == 404)
        }
    }
}
