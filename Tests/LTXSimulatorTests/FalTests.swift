import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

extension Harness {
    /// `Authorization: Key <key>`, fal's scheme.
    var falAuth: [String: String] { ["Authorization": "Key \(key)"] }

    /// `POST /fal/{model}` with a JSON object.
    func falSubmit(_ model: String, _ fields: [String: Any], headers: [String: String]? = nil) async throws -> HTTPReply {
        var all = headers ?? falAuth
        all["Content-Type"] = "application/json"
        let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return try await RawHTTP.send("POST", url("/fal/\(model)"), headers: all, body: [UInt8](body))
    }

    /// GET an absolute URL the queue returned, with fal's auth.
    func falGet(_ link: String) async throws -> HTTPReply {
        let target = try #require(URL(string: link))
        return try await RawHTTP.send("GET", target, headers: falAuth)
    }
}

@Suite("fal queue API", .serialized)
struct FalTests {
    @Test("submit → status 202 IN_QUEUE / IN_PROGRESS → 200 COMPLETED → result video; the MP4 has the tier and aspect's shape")
    func queueFlow() async throws {
        try await Harness.with({ $0.fastLatency = 100...100; $0.renderOnAccept = false }) { sim in
            let submit = try await sim.falSubmit("fal-ai/ltx-2.3/text-to-video/fast", [
                "prompt": "a lighthouse", "resolution": "1080p", "aspect_ratio": "16:9", "duration": 6, "fps": 25,
            ])
            #expect(submit.status == 200, "\(submit.text)")
            let id = try #require(submit.json["request_id"] as? String)
            let base = "\(sim.origin.absoluteString)/fal/fal-ai/ltx-2.3/requests/\(id)"
            #expect(submit.json["response_url"] as? String == base)
            #expect(submit.json["status_url"] as? String == base + "/status")
            #expect(submit.json["cancel_url"] as? String == base + "/cancel")

            let queued = try await sim.falGet(base + "/status")
            #expect(queued.status == 202)
            #expect(queued.json["status"] as? String == "IN_QUEUE")
            #expect(queued.json["queue_position"] as? Int == 0)
            #expect(queued.json["response_url"] as? String == base)
            let early = try await sim.falGet(base)
            #expect(early.status == 400)
            #expect(early.json["detail"] as? String == "Request is still in progress")

            await sim.server.advanceTime(by: 30)
            let running = try await sim.falGet(base + "/status")
            #expect(running.status == 202)
            #expect(running.json["status"] as? String == "IN_PROGRESS")
            await sim.server.advanceTime(by: 71)
            let done = try await sim.falGet(base + "/status")
            #expect(done.status == 200)
            #expect(done.json["status"] as? String == "COMPLETED")

            let result = try await sim.falGet(base)
            #expect(result.status == 200)
            let video = try #require(result.json["video"] as? [String: Any])
            #expect(video["content_type"] as? String == "video/mp4")
            let download = try await sim.download(try #require(video["url"] as? String))
            #expect(download.status == 200)
            let info = try probe(download.body)
            #expect(info.video?.width == 1920 && info.video?.height == 1080)
            #expect(info.video?.fps == Rational(25, 1))
            #expect(info.video?.frameCount == 145)
            #expect(info.audio != nil)

            let stats = await sim.server.stats()
            #expect(stats.requests.submit == 1)
            #expect(stats.requests.poll == 3)
            #expect(abs((stats.costByGeneration[id] ?? 0) - 0.24) < 1e-9)  // 6 s × $0.04

            // 9:16 is the portrait twin of the tier; 1440p and 2160p keep their long side.
            for (tier, aspect, size) in [("1080p", "9:16", (1080, 1920)), ("1440p", "16:9", (2560, 1440)), ("2160p", "9:16", (2160, 3840))] {
                let reply = try await sim.falSubmit("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "resolution": tier, "aspect_ratio": aspect])
                let id = try #require(reply.json["request_id"] as? String)
                let pattern = try #require(await sim.server.jobPatternForTests(id))
                #expect(pattern.width == size.0 && pattern.height == size.1, "\(tier) \(aspect)")
                #expect(pattern.fps == Rational(25, 1) && pattern.frameCount == 145)
            }
        }
    }

    @Test("auth is Authorization: Key; Bearer or nothing is 401 with a detail body, counted")
    func authentication() async throws {
        try await Harness.with { sim in
            let fields: [String: Any] = ["prompt": "p"]
            for headers in [["Authorization": "Bearer \(sim.key)"], [:], ["Authorization": "Key wrong"]] {
                let reply = try await sim.falSubmit("fal-ai/ltx-2/text-to-video/fast", fields, headers: headers)
                #expect(reply.status == 401)
                #expect((reply.json["detail"] as? String)?.isEmpty == false)
            }
            #expect(await sim.server.stats().unauthorized == 3)
            #expect(await sim.server.stats().submitsAccepted == 0)
            #expect(try await sim.falSubmit("fal-ai/ltx-2/text-to-video/fast", fields).status == 200)
        }
    }

    @Test("inputs are checked: 422 with FastAPI's detail list naming the field")
    func validation() async throws {
        let cases: [(String, [String: Any], String)] = [
            ("fal-ai/ltx-2.3/text-to-video/fast", ["resolution": "1080p"], "prompt"),
            ("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "resolution": "1440p", "duration": 12], "duration"),
            ("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "fps": 50, "duration": 20], "duration"),
            ("fal-ai/ltx-2.3/text-to-video", ["prompt": "p", "duration": 12], "duration"),
            ("fal-ai/ltx-2.3/image-to-video/fast", ["prompt": "p", "duration": 12, "image_url": "https://cdn.example.com/a.png"], "duration"),
            ("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "resolution": "720p"], "resolution"),
            ("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "aspect_ratio": "4:3"], "aspect_ratio"),
            ("fal-ai/ltx-2/text-to-video/fast", ["prompt": "p", "aspect_ratio": "9:16"], "aspect_ratio"),
            ("fal-ai/ltx-2/text-to-video/fast", ["prompt": "p", "fps": 48], "fps"),
            ("fal-ai/ltx-2.3/image-to-video", ["prompt": "p"], "image_url"),
            ("fal-ai/ltx-2.3/image-to-video", ["prompt": "p", "image_url": "ftp://x/a.png"], "image_url"),
            ("fal-ai/ltx-2/image-to-video", ["prompt": "p", "image_url": "https://cdn.example.com/a.png", "end_image_url": "https://cdn.example.com/b.png"], "end_image_url"),
        ]
        try await Harness.with { sim in
            for (model, fields, field) in cases {
                let reply = try await sim.falSubmit(model, fields)
                #expect(reply.status == 422, "\(model) \(fields): \(reply.text)")
                let detail = try #require(reply.json["detail"] as? [[String: Any]], "\(reply.text)")
                #expect(detail.first?["loc"] as? [String] == ["body", field], "\(reply.text)")
                #expect((detail.first?["msg"] as? String)?.isEmpty == false)
            }
            #expect(await sim.server.stats().submitsAccepted == 0)
            // 20 s is fine for fast text-to-video at 1080p and 25 fps; string numbers are taken.
            #expect(try await sim.falSubmit("fal-ai/ltx-2.3/text-to-video/fast", ["prompt": "p", "duration": "20", "fps": "25"]).status == 200)
        }
    }

    @Test("a failed request reports COMPLETED, then its result is an error with a detail; unknown ids are 404")
    func failures() async throws {
        try await Harness.with({ $0.faults.failedGenerations = 1 }) { sim in
            let submit = try await sim.falSubmit("fal-ai/ltx-2.3/text-to-video", ["prompt": "p"])
            let status = try #require(submit.json["status_url"] as? String)
            let response = try #require(submit.json["response_url"] as? String)
            #expect(try await sim.falGet(status).json["status"] as? String == "COMPLETED")
            let result = try await sim.falGet(response)
            #expect(result.status == 500)
            #expect((result.json["detail"] as? String)?.isEmpty == false)
            let unknown = try await sim.falGet("\(sim.origin.absoluteString)/fal/fal-ai/ltx-2.3/requests/nope/status")
            #expect(unknown.status == 404)
            #expect(unknown.json["detail"] != nil)
            // The id belongs to another app.
            let id = try #require(submit.json["request_id"] as? String)
            #expect(try await sim.falGet("\(sim.origin.absoluteString)/fal/fal-ai/ltx-2/requests/\(id)/status").status == 404)
        }
    }

    @Test("image-to-video from a data: URI starts from the image; prices unknown on fal stay unknown")
    func imageToVideo() async throws {
        let png = try Harness.fixture("logo-alpha.png")
        try await Harness.with({ $0.renderOnAccept = false }) { sim in
            let submit = try await sim.falSubmit("fal-ai/ltx-2.3/image-to-video", [
                "prompt": "p", "image_url": dataURI(png, mime: "image/png"), "resolution": "1440p",
            ])
            #expect(submit.status == 200, "\(submit.text)")
            let id = try #require(submit.json["request_id"] as? String)
            let content = try #require(await sim.server.jobContentForTests(id))
            #expect(content.startImage != nil)
            let stats = await sim.server.stats()
            #expect(stats.unpricedGenerations == 1)  // ltx-2.3 pro at 1440p: not published
            #expect(stats.costByGeneration[id] == nil)
        }
    }
}
