import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

extension V2Suites {
    @Suite("ltx-v2 jobs: 202, polls, downloads, sync, expiry")
    struct V2JobTests {
        @Test("202 {id, created_at}; the poll completes with completed_at and a video_url; the MP4 has the requested shape")
        func submitPollDownload() async throws {
            try await Harness.v2 { sim in
                #expect(await sim.server.origin == sim.origin)
                let reply = try await sim.v2Submit(smallestTextToVideo)
                #expect(reply.status == 202, "\(reply.text)")
                #expect(reply.header("x-request-id")?.isEmpty == false)
                #expect(Set(reply.json.keys) == ["id", "created_at"])
                let id = try #require(reply.json["id"] as? String)
                #expect(UUID(uuidString: id) != nil, "id \(id) is not UUID-like")
                let createdAt = try #require(reply.json["created_at"] as? String)
                #expect((try? Date(createdAt, strategy: .iso8601)) != nil, "created_at \(createdAt) is not ISO 8601")

                let poll = try await sim.v2Poll("text-to-video", id)
                #expect(poll.status == 200)
                #expect(poll.json["status"] as? String == "completed")
                #expect(poll.json["id"] as? String == id)
                #expect(poll.json["created_at"] as? String == createdAt)
                let completedAt = try #require(poll.json["completed_at"] as? String)
                #expect((try? Date(completedAt, strategy: .iso8601)) != nil)
                #expect(poll.json["error"] == nil)
                let result = try #require(poll.json["result"] as? [String: Any])
                let videoURL = try #require(result["video_url"] as? String)
                #expect(videoURL == "\(sim.origin.absoluteString)/files/\(id).mp4")

                let download = try await sim.download(videoURL)
                #expect(download.status == 200)
                #expect(download.complete)
                let info = try probe(download.body)
                let video = try #require(info.video)
                #expect(video.width == 1920)
                #expect(video.height == 1080)
                #expect(video.fps == Rational(24, 1))
                #expect(video.frameCount == 145)  // 8·⌊6·24/8⌋ + 1
                #expect(info.audio?.codec == "aac")

                let stats = await sim.server.stats()
                #expect(stats.requests.submit == 1)
                #expect(stats.requests.poll == 1)
                #expect(stats.requests.download == 1)
                #expect(stats.submitsByPrompt == ["a lighthouse at dusk": 1])
                #expect(abs(stats.costCharged - 0.36) < 1e-9)  // 6 s × $0.06 (ltx-2-3-fast 1080p)
            }
        }

        @Test("pending for the first quarter of the latency, then processing, then completed (simulated time)")
        func statusProgression() async throws {
            try await Harness.v2({ $0.fastLatency = 100...100 }) { sim in
                let id = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                let pending = try await sim.v2Poll("text-to-video", id)
                #expect(pending.json["status"] as? String == "pending")
                #expect(pending.json["result"] == nil)
                #expect(pending.json["completed_at"] == nil)
                await sim.server.advanceTime(by: 30)
                #expect(try await sim.v2Poll("text-to-video", id).json["status"] as? String == "processing")
                await sim.server.advanceTime(by: 71)
                let done = try await sim.v2Poll("text-to-video", id)
                #expect(done.json["status"] as? String == "completed")
                #expect(done.json["completed_at"] != nil)
            }
        }

        @Test("unknown id, wrong mode and the other dialect's ids are 404 not_found_error")
        func notFound() async throws {
            try await Harness.v2 { sim in
                let id = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                for reply in [try await sim.v2Poll("image-to-video", id), try await sim.v2Poll("text-to-video", UUID().uuidString.lowercased())] {
                    #expect(reply.status == 404)
                    #expect(reply.envelopeType == "error")
                    #expect(reply.errorType == "not_found_error")
                }
                // The generations dialect on the same server does not show ltx-v2 jobs, and the reverse.
                let generations = try await sim.poll(id)
                #expect(generations.status == 404)
                #expect(generations.errorType == "not_found")
                let genID = try #require(try await sim.submitDefault()["id"] as? String)
                #expect(try await sim.v2Poll("text-to-video", genID).status == 404)
                // An unknown mode has no route.
                let bogus = try await sim.v2Submit("video-to-video-hdr", json: "{}")
                #expect(bogus.status == 404)
                #expect(bogus.errorType == "not_found_error")
            }
        }

        @Test("a job expires jobLifetime after completion: 404 on poll (counted in expired_polls) and on its video")
        func expiry() async throws {
            try await Harness.v2 { sim in
                let id = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                await sim.server.advanceTime(by: 86_000)
                #expect(try await sim.v2Poll("text-to-video", id).json["status"] as? String == "completed")
                await sim.server.advanceTime(by: 401)
                let expired = try await sim.v2Poll("text-to-video", id)
                #expect(expired.status == 404)
                #expect(expired.errorType == "not_found_error")
                #expect(expired.errorMessage?.contains("expired") == true)
                #expect(try await sim.get("/files/\(id).mp4").status == 404)
                var stats = await sim.server.stats()
                #expect(stats.expiredPolls == 1)
                _ = try await sim.v2Poll("text-to-video", UUID().uuidString.lowercased())
                stats = await sim.server.stats()
                #expect(stats.expiredPolls == 1)  // an unknown id is not an expired one
                #expect(try await sim.statsJSON()["expired_polls"] as? Int == 1)
            }
        }

        @Test("the synchronous POST /v1/{mode} answers with the MP4 bytes after the latency and counts a sync submit")
        func syncSubmit() async throws {
            try await Harness.v2({ $0.fastLatency = 40...40; $0.timeScale = 0.005 }) { sim in
                var reply = HTTPReply(status: 0, headers: [:], body: [], declaredLength: nil, complete: false)
                let seconds = try await measure { reply = try await sim.v2Sync("text-to-video", smallestTextToVideo) }
                #expect(reply.status == 200, "\(reply.text.prefix(300))")
                #expect(seconds >= 0.2)  // 40 simulated seconds at 0.005
                #expect(reply.header("content-type") == "application/octet-stream")
                #expect(reply.complete)
                #expect(reply.declaredLength == reply.body.count)
                let info = try probe(reply.body)
                let video = try #require(info.video)
                #expect(video.width == 1920)
                #expect(video.height == 1080)
                #expect(video.fps == Rational(24, 1))
                #expect(video.frameCount == 145)
                #expect(info.audio != nil)

                let stats = await sim.server.stats()
                #expect(stats.syncSubmits == 1)
                #expect(stats.submitsAccepted == 1)
                #expect(stats.requests.submit == 1)
                #expect(stats.submitsByPrompt == ["a lighthouse at dusk": 1])
                #expect(try await sim.statsJSON()["sync_submits"] as? Int == 1)
            }
        }

        @Test("generate_audio false renders a video without an audio stream")
        func withoutAudio() async throws {
            try await Harness.v2 { sim in
                let reply = try await sim.v2Submit(
                    json: #"{"prompt":"silent film","model":"ltx-2-3-fast","resolution":"1920x1080","duration":6,"generate_audio":false}"#)
                #expect(reply.status == 202, "\(reply.text)")
                let id = try #require(reply.json["id"] as? String)
                let download = try await sim.get("/files/\(id).mp4")
                #expect(download.status == 200)
                let info = try probe(download.body)
                #expect(info.video?.frameCount == 145)
                #expect(info.audio == nil)
                #expect(info.streams.count == 1)
            }
        }

        @Test("audio-to-video from a 3 s data: WAV: 25 fps, 73 frames (8·⌊3·25/8⌋ + 1), with audio")
        func audioToVideo() async throws {
            let voice = try Harness.fixture("voice-3s.wav")
            try await Harness.v2 { sim in
                let id = try await sim.v2Accepted("audio-to-video", ["prompt": "a choir", "audio_uri": dataURI(voice, mime: "audio/wav")])
                let poll = try await sim.v2Poll("audio-to-video", id)
                #expect(poll.json["status"] as? String == "completed")
                let videoURL = try #require((poll.json["result"] as? [String: Any])?["video_url"] as? String)
                let download = try await sim.download(videoURL)
                let info = try probe(download.body)
                let video = try #require(info.video)
                #expect(video.width == 1920)
                #expect(video.height == 1080)
                #expect(video.fps == Rational(25, 1))
                #expect(video.frameCount == 73)
                #expect(info.audio != nil)
            }
        }

        @Test("audio-to-video without a resolution follows the image's orientation (EXIF applied); without an image 1920x1080")
        func audioToVideoOrientation() async throws {
            let voice = try Harness.fixture("voice-3s.wav")
            let portrait = try Harness.fixture("portrait-exif6.jpg")
            try await Harness.v2 { sim in
                let id = try await sim.v2Accepted("audio-to-video", [
                    "audio_uri": dataURI(voice, mime: "audio/wav"), "image_uri": dataURI(portrait, mime: "image/jpeg"), "prompt": "",
                ])
                let spec = try #require(await sim.server.jobSpecForTests(id))
                let pattern = SimulatedJob.pattern(for: spec)
                #expect(pattern.width == 1080 && pattern.height == 1920)
                #expect(spec.request.resolution == .portrait1080)
                #expect(spec.request.guidanceScale == 9)

                let plain = try await sim.v2Accepted("audio-to-video", ["audio_uri": dataURI(voice, mime: "audio/wav"), "prompt": "hum"])
                let plainSpec = try #require(await sim.server.jobSpecForTests(plain))
                #expect(plainSpec.request.resolution == .landscape1080)
                #expect(plainSpec.request.guidanceScale == 5)
            }
        }

        @Test("image-to-video takes PNG, JPEG and WEBP data: URIs (by content), and audio-to-video an image without a prompt")
        func imageInputs() async throws {
            let images = [
                ("image/png", try Harness.fixture("logo-alpha.png")), ("image/jpeg", try Harness.fixture("landscape-16x9.jpg")),
                ("application/octet-stream", try Harness.fixture("still-16x9.webp")),
            ]
            try await Harness.v2 { sim in
                for (mime, bytes) in images {
                    let reply = try await sim.v2Submit("image-to-video", [
                        "prompt": "p", "model": "ltx-2-3-pro", "resolution": "1080x1920", "duration": 10, "fps": 50, "image_uri": dataURI(bytes, mime: mime),
                    ])
                    #expect(reply.status == 202, "\(mime): \(reply.text)")
                }
                let noPrompt = try await sim.v2Submit("audio-to-video", [
                    "audio_uri": "https://cdn.example.com/a.mp3", "image_uri": "https://cdn.example.com/a.jpg", "resolution": "1080x1920",
                    "guidance_scale": 7.5, "model": "ltx-2-3-pro",
                ])
                #expect(noPrompt.status == 202, "\(noPrompt.text)")
                #expect(await sim.server.stats().submitsAccepted == 4)
            }
        }

        @Test("one server serves both dialects; ltxV2 as the configured dialect speaks v2 on paths neither owns")
        func bothDialects() async throws {
            try await Harness.v2({ $0.dialect = .ltxV2 }) { sim in
                #expect(sim.base.absoluteString.hasSuffix("/v1"))
                #expect(await sim.server.origin?.absoluteString == sim.base.absoluteString.replacingOccurrences(of: "/v1", with: ""))
                let generations = try await sim.submitDefault(prompt: "old dialect")
                #expect(generations["status"] as? String == "completed")
                _ = try await sim.v2Accepted("text-to-video", smallestTextToVideo)
                #expect(await sim.server.stats().submitsAccepted == 2)
                let missing = try await sim.get("/files/nothing.mp4")
                #expect(missing.status == 404)
                #expect(missing.envelopeType == "error")
                #expect(missing.errorType == "not_found_error")
                // Generations paths keep their own error body.
                let old = try await sim.poll("gen_missing")
                #expect(old.errorType == "not_found")
                #expect(old.envelopeType == nil)
            }
        }
    }
}
