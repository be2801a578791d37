import Foundation
import Testing
@testable import LTXSimulator

/// One submit and what the simulator must answer.
struct SubmitCase: Sendable, CustomTestStringConvertible {
    let mode: String
    let json: String
    let status: Int
    /// A fragment the error message must contain (empty for submits that pass validation).
    let message: String

    init(_ mode: String, _ json: String, _ status: Int, _ message: String = "") {
        self.mode = mode
        self.json = json
        self.status = status
        self.message = message
    }

    /// A text-to-video case.
    init(_ json: String, _ status: Int, _ message: String = "") {
        self.init("text-to-video", json, status, message)
    }

    var testDescription: String { "\(mode) \(json) → \(status)" }
}

@Suite("Request validation (the simulator's own reading of the reference)")
struct ValidationTests {
    static let cases: [SubmitCase] = [
        SubmitCase(#"{"model":"ltx-2-fast"}"#, 400, "prompt is required"),
        SubmitCase(#"{"prompt":"   "}"#, 400, "prompt is required"),
        SubmitCase(#"{"prompt":42}"#, 400, "prompt must be a string"),
        SubmitCase(#"{"prompt":"p","model":"ltx-2-ultra"}"#, 400, #"model "ltx-2-ultra" is not supported"#),
        SubmitCase(#"{"prompt":"p","resolution":"1920x1088"}"#, 400, #"resolution "1920x1088" is not supported"#),
        SubmitCase(#"{"prompt":"p","resolution":"1280x720"}"#, 400, "use 1920x1080, 2560x1440 or 3840x2160"),
        SubmitCase(#"{"prompt":"p","fps":24}"#, 400, "fps 24 is not supported; use 25 or 50"),
        SubmitCase(#"{"prompt":"p","model":"ltx-2-pro","duration":30}"#, 400, "duration 30 is outside 6-10 for ltx-2-pro"),
        SubmitCase(#"{"prompt":"p","duration":5}"#, 400, "duration 5 is outside 6-20 for ltx-2-fast at 1920x1080 and 25 fps"),
        SubmitCase(#"{"prompt":"p","duration":21}"#, 400, "duration 21 is outside 6-20"),
        SubmitCase(#"{"prompt":"p","duration":12,"resolution":"2560x1440"}"#, 400, "duration 12 is outside 6-10 for ltx-2-fast at 2560x1440 and 25 fps"),
        SubmitCase(#"{"prompt":"p","duration":12,"fps":50}"#, 400, "duration 12 is outside 6-10 for ltx-2-fast at 1920x1080 and 50 fps"),
        SubmitCase(#"{"prompt":"p","duration":6.5}"#, 400, "duration must be a whole number of seconds"),
        SubmitCase(#"{"prompt":"p","duration":"six"}"#, 400, "duration must be a whole number of seconds"),
        SubmitCase(#"{"prompt":"p","seed":"abc"}"#, 400, "seed must be a whole number"),
        SubmitCase(#"["prompt"]"#, 400, "must be a JSON object"),
        SubmitCase(#"{"prompt":"p""#, 400, "not valid JSON"),
        SubmitCase("image-to-video", #"{"prompt":"p"}"#, 400, "image-to-video needs an image"),
        SubmitCase("image-to-video", #"{"prompt":"p","image":"ftp://example.com/a.png"}"#, 400, "image URL must use http or https, got ftp"),
        SubmitCase("image-to-video", #"{"prompt":"p","image":"file:///etc/passwd"}"#, 400, "got file"),
        SubmitCase("image-to-video", #"{"prompt":"p","image":"just-a-name.png"}"#, 400, "is not a URL"),
        SubmitCase("image-to-video", #"{"prompt":"p","image":"https://example.com/a.png","duration":12}"#, 400, "duration 12 is outside 6-10 for image-to-video"),
        SubmitCase("audio-to-video", #"{"prompt":"p","model":"ltx-2-pro"}"#, 400, "audio-to-video needs an audio file"),
        SubmitCase("audio-to-video", #"{"prompt":"p","model":"ltx-2-fast","audio":"https://example.com/a.mp3"}"#, 400, "audio-to-video supports only ltx-2-pro, got ltx-2-fast"),
        SubmitCase("audio-to-video", #"{"prompt":"p","model":"ltx-2-pro","resolution":"2560x1440","audio":"https://example.com/a.mp3"}"#, 400, "audio-to-video supports only 1920x1080, got 2560x1440"),
        SubmitCase("audio-to-video", #"{"prompt":"p","audio":"s3://bucket/a.mp3"}"#, 400, "audio URL must use http or https, got s3"),
        // Valid edges (200 = passes validation): the 1080p preset (1080 is not divisible by 32), fast's 20 s at 1080p25.
        SubmitCase(#"{"prompt":"p","resolution":"1920x1080","duration":20,"fps":25}"#, 200),
        SubmitCase(#"{"prompt":"p","duration":10,"fps":50,"resolution":"3840x2160"}"#, 200),
        SubmitCase(#"{"prompt":"p","model":"ltx-2-pro","duration":10,"resolution":"2560x1440","seed":7}"#, 200),
        SubmitCase("image-to-video", #"{"prompt":"p","image":"https://example.com/a.png","duration":10}"#, 200),
        SubmitCase("audio-to-video", #"{"prompt":"p","audio":"http://example.com/a.mp3"}"#, 200),
    ]

    /// With no credits, a submit that passes validation stops at 402: proof it was valid, without accepting
    /// (and rendering) large shapes such as 4K at 50 fps.
    @Test("each rule answers with its status and a message naming it", arguments: cases)
    func rule(_ submit: SubmitCase) async throws {
        try await Harness.with({ $0.credits = 0 }) { sim in
            let reply = try await sim.submit(submit.mode, json: submit.json)
            if submit.status == 200 {
                #expect(reply.status == 402, "\(reply.text)")
                #expect(reply.errorType == "insufficient_credits")
            } else {
                #expect(reply.status == submit.status, "\(reply.text)")
                #expect(reply.errorType == "invalid_request")
                let message = try #require(reply.errorMessage)
                #expect(message.contains(submit.message), "message was: \(message)")
            }
            #expect(await sim.server.stats().submitsAccepted == 0)
        }
    }

    @Test("defaults: fast, 1920x1080, 6 s, 25 fps; A2V defaults to pro; the response echoes the shape and cost")
    func defaults() async throws {
        try await Harness.with { sim in
            let reply = try await sim.submit(json: #"{"prompt":"defaults"}"#)
            #expect(reply.status == 200)
            let json = reply.json
            #expect(json["model"] as? String == "ltx-2-fast")
            #expect(json["resolution"] as? String == "1920x1080")
            #expect(json["duration"] as? Int == 6)
            #expect(json["fps"] as? Int == 25)
            #expect(json["cost"] as? Double == 0.12)
            #expect((json["id"] as? String)?.hasPrefix("gen_") == true)
            #expect(json["created_at"] as? String != nil)

            let a2v = try await sim.submit("audio-to-video", json: #"{"prompt":"song","audio":"https://example.com/a.wav"}"#)
            #expect(a2v.json["model"] as? String == "ltx-2-pro")
            #expect(a2v.json["cost"] as? Double == 0.3)

            // A 4K job would be rendered on acceptance; its price shows in the 402 message instead.
            await sim.server.setCredits(1)
            let uhd = try await sim.submit(json: #"{"prompt":"big","model":"ltx-2-pro","resolution":"3840x2160","duration":6}"#)
            #expect(uhd.status == 402)
            #expect(uhd.errorMessage?.contains("costs $1.20 but the balance is $1.00") == true)
        }
    }

    @Test("credits: a submit costing more than the balance is 402 and charges nothing")
    func insufficientCredits() async throws {
        try await Harness.with({ $0.credits = 0.2 }) { sim in
            let pro = try await sim.submit(json: #"{"prompt":"pricey","model":"ltx-2-pro"}"#)
            #expect(pro.status == 402)
            #expect(pro.errorType == "insufficient_credits")
            #expect(pro.errorMessage?.contains("$0.30") == true)
            var stats = await sim.server.stats()
            #expect(stats.costCharged == 0)
            #expect(stats.credits == 0.2)
            #expect(stats.submitsAccepted == 0)

            #expect(try await sim.submit(json: #"{"prompt":"cheap"}"#).status == 200)
            let again = try await sim.submit(json: #"{"prompt":"cheap"}"#)
            #expect(again.status == 402)
            stats = await sim.server.stats()
            #expect(abs(stats.credits - 0.08) < 1e-9)
            #expect(stats.costCharged == 0.12)
            #expect(stats.submitsAccepted == 1)

            await sim.server.setCredits(1)
            #expect(try await sim.submit(json: #"{"prompt":"cheap"}"#).status == 200)
            #expect(abs(await sim.server.stats().credits - 0.88) < 1e-9)
        }
    }
}
