import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

/// One rule of the ltx-v2 request validation: a body that breaks it and a fragment of the message naming it.
struct V2Violation: CustomTestStringConvertible, Sendable {
    let mode: String
    let json: String
    let message: String

    var testDescription: String { "\(mode): \(message)" }
}

private let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 32)
private let pngURI = dataURI(png, mime: "image/png")
private let gifURI = dataURI(Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 32), mime: "image/gif")
private let t2v = #""prompt":"p","model":"ltx-2-3-fast","resolution":"1920x1080""#
private let i2v = #""prompt":"p","model":"ltx-2-3-fast","resolution":"1920x1080","duration":6"#
private let a2vAudio = "https://cdn.example.com/voice.wav"

extension V2Suites {
    @Suite("ltx-v2 validation")
    struct V2ValidationTests {
        static let violations: [V2Violation] = [
            // Body.
            .init(mode: "text-to-video", json: "not json", message: "not valid JSON"),
            .init(mode: "text-to-video", json: "[1,2]", message: "must be a JSON object"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"seed":3}"#, message: #"unknown field "seed""#),
            // Required fields and their values.
            .init(mode: "text-to-video", json: #"{"model":"ltx-2-3-fast","resolution":"1920x1080","duration":6}"#, message: "prompt is required"),
            .init(mode: "text-to-video", json: #"{"prompt":"  ","model":"ltx-2-3-fast","resolution":"1920x1080","duration":6}"#, message: "prompt is required"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","resolution":"1920x1080","duration":6}"#, message: "model is required"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-3","resolution":"1920x1080","duration":6}"#, message: #"model "ltx-3" is not supported"#),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","duration":6}"#, message: "resolution is required"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","resolution":"1366x768","duration":6}"#, message: #"resolution "1366x768" is not supported"#),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"fps":30}"#, message: "fps 30 is not offered by ltx-2-3-fast"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"fps":"24"}"#, message: "fps must be a whole number"),
            .init(mode: "text-to-video", json: #"{\#(t2v)}"#, message: "duration is required for ltx-2-3-fast"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":null}"#, message: "only ltx-2-5 models take null"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":"6"}"#, message: "duration must be a whole number"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6.5}"#, message: "duration must be a whole number"),
            // Removed models name their replacement.
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-fast","resolution":"1920x1080","duration":6}"#, message: #"model "ltx-2-fast" was removed on 2026-08-15; use ltx-2-3-fast"#),
            .init(mode: "image-to-video", json: #"{"prompt":"p","model":"ltx-2-pro","resolution":"1920x1080","duration":6,"image_uri":"\#(pngURI)"}"#, message: #"model "ltx-2-pro" was removed on 2026-08-15; use ltx-2-3-pro"#),
            // ltx-2-5-pro: 720p and 1080p only, no 48 fps.
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-5-pro","resolution":"2560x1440","duration":6}"#, message: "resolution 2560x1440 is not offered by ltx-2-5-pro"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-5-pro","resolution":"2160x3840","duration":6}"#, message: "resolution 2160x3840 is not offered by ltx-2-5-pro"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-5-pro","resolution":"1920x1080","duration":6,"fps":48}"#, message: "fps 48 is not offered by ltx-2-5-pro"),
            // Durations: the set {2,3,4,5,6,8,10,12,...,20}; above 10 s only fast models at 720p/1080p and 24/25 fps.
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":1}"#, message: "duration 1 is not offered"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":7}"#, message: "duration 7 is not offered"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":13}"#, message: "duration 13 is not offered"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":22,"fps":25}"#, message: "duration 22 is not offered"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":12,"fps":48}"#, message: "duration 12 is not offered for ltx-2-3-fast at 1920x1080 and 48 fps"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":12,"fps":50}"#, message: "duration 12 is not offered for ltx-2-3-fast at 1920x1080 and 50 fps"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-5-fast","resolution":"1440x2560","duration":12}"#, message: "duration 12 is not offered for ltx-2-5-fast at 1440x2560"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-pro","resolution":"1920x1080","duration":12}"#, message: "duration 12 is not offered for ltx-2-3-pro"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-5-pro","resolution":"1280x720","duration":12}"#, message: "duration 12 is not offered for ltx-2-5-pro"),
            .init(mode: "image-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","resolution":"3840x2160","duration":12,"image_uri":"\#(pngURI)"}"#, message: "duration 12 is not offered for ltx-2-3-fast at 3840x2160"),
            // Prompt length.
            .init(mode: "text-to-video", json: #"{"prompt":"\#(String(repeating: "é", count: 5_001))","model":"ltx-2-3-fast","resolution":"1920x1080","duration":6}"#, message: "prompt is 5001 characters long; at most 5000"),
            // Other fields.
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"generate_audio":"no"}"#, message: "generate_audio must be true or false"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"camera_motion":"zoom_in"}"#, message: #"camera_motion "zoom_in" is not supported"#),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"image_uri":"\#(pngURI)"}"#, message: #"unknown field "image_uri""#),
            // Image-to-video inputs.
            .init(mode: "image-to-video", json: #"{\#(i2v)}"#, message: "image_uri is required"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"http://cdn.example.com/a.png"}"#, message: "must use https"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"https://203.0.113.7/a.png"}"#, message: "bare IP address"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"https://[2001:db8::1]/a.png"}"#, message: "bare IP address"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"https:///a.png"}"#, message: "well-formed https:// URL"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"ftp://cdn.example.com/a.png"}"#, message: "is not an ltx://uploads/... URI"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"\#(gifURI)"}"#, message: "PNG, JPEG or WEBP"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"data:image/png,\#(String(repeating: "A", count: 8))"}"#, message: "must be base64-encoded"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"data:image/png;base64,@@@not-base64@@@"}"#, message: "valid base64"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"ltx://uploads/0123456789abcdef01234567"}"#, message: "does not exist"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"ltx://elsewhere/x"}"#, message: "is not a storage URI"),
            .init(mode: "image-to-video", json: #"{\#(i2v),"image_uri":"\#(pngURI)","last_frame_uri":"\#(gifURI)"}"#, message: "last_frame_uri is not an image"),
            // Audio-to-video.
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","duration":8}"#, message: "has no duration field"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","fps":25}"#, message: #"unknown field "fps""#),
            .init(mode: "audio-to-video", json: #"{"prompt":"p"}"#, message: "audio_uri is required"),
            .init(mode: "audio-to-video", json: #"{"audio_uri":"\#(a2vAudio)"}"#, message: "prompt is required for audio-to-video without image_uri"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","model":"ltx-2-3-fast"}"#, message: "audio-to-video supports only ltx-2-3-pro, got ltx-2-3-fast"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","model":"ltx-2-pro"}"#, message: "was removed on 2026-08-15; use ltx-2-3-pro"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","guidance_scale":0.5}"#, message: "guidance_scale 0.5 is outside 1-50"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","guidance_scale":50.5}"#, message: "guidance_scale 50.5 is outside 1-50"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","resolution":"2560x1440"}"#, message: "audio-to-video supports only 1920x1080 or 1080x1920"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","guidance_scale":"high"}"#, message: "guidance_scale must be a number"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(pngURI)"}"#, message: "audio_uri is not audio"),
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"http://cdn.example.com/a.wav"}"#, message: "must use https"),
        ]

        @Test("every broken rule is 400 invalid_request_error in the v2 error body, nothing charged", arguments: violations)
        func violation(_ case: V2Violation) async throws {
            try await Harness.v2 { sim in
                let reply = try await sim.v2Submit(`case`.mode, json: `case`.json)
                #expect(reply.status == 400, "\(reply.text)")
                #expect(reply.envelopeType == "error")
                #expect(reply.errorType == "invalid_request_error")
                #expect(reply.errorMessage?.contains(`case`.message) == true, "message: \(reply.errorMessage ?? reply.text)")
                #expect(reply.header("x-request-id")?.isEmpty == false)
                let stats = await sim.server.stats()
                #expect(stats.submitsAccepted == 0)
                #expect(stats.costCharged == 0)
            }
        }

        @Test("the edges of the matrix are accepted: 720p and portrait twins, 2 s and 20 s, image-to-video to 20 s on fast models")
        func durationBoundaries() async throws {
            try await Harness.v2 { sim in
                let cases: [(String, String, Int, Int)] = [
                    ("ltx-2-3-fast", "1280x720", 24, 20), ("ltx-2-5-fast", "720x1280", 25, 20), ("ltx-2-3-fast", "1080x1920", 24, 2),
                    ("ltx-2-3-fast", "2160x3840", 50, 10), ("ltx-2-3-pro", "1440x2560", 48, 10), ("ltx-2-3-pro", "1920x1080", 24, 3),
                    ("ltx-2-5-pro", "1280x720", 50, 2), ("ltx-2-5-pro", "1080x1920", 24, 10), ("ltx-2-5-fast", "3840x2160", 48, 10),
                ]
                for (model, resolution, fps, duration) in cases {
                    let reply = try await sim.v2Submit(
                        ["prompt": "edge", "model": model, "resolution": resolution, "fps": fps, "duration": duration])
                    #expect(reply.status == 202, "\(model) \(resolution) \(fps) fps \(duration) s: \(reply.text)")
                }
                for (model, duration) in [("ltx-2-3-fast", 20), ("ltx-2-5-fast", 14), ("ltx-2-3-pro", 10)] {
                    let reply = try await sim.v2Submit("image-to-video", [
                        "prompt": "edge", "model": model, "resolution": "1920x1080", "fps": 25, "duration": duration, "image_uri": pngURI,
                    ])
                    #expect(reply.status == 202, "image-to-video \(model) \(duration) s: \(reply.text)")
                }
                #expect(await sim.server.stats().submitsAccepted == cases.count + 3)
            }
        }

        @Test("ltx-2-5 takes duration null or none (auto): the simulator picks an offered length and renders it")
        func autoDuration() async throws {
            try await Harness.v2 { sim in
                let withNull = try await sim.v2Submit(
                    json: #"{"prompt":"auto","model":"ltx-2-5-fast","resolution":"1280x720","fps":24,"duration":null}"#)
                #expect(withNull.status == 202, "\(withNull.text)")
                let id = try #require(withNull.json["id"] as? String)
                _ = try await sim.v2Accepted("text-to-video", ["prompt": "auto", "model": "ltx-2-5-pro", "resolution": "1920x1080"])
                let stats = await sim.server.stats()
                // 720p ltx-2-5-fast is $0.09/s, so the charge reveals the chosen length; ltx-2-5-pro has no known price.
                let charged = try #require(stats.costByGeneration[id])
                let seconds = Int((charged / 0.09).rounded())
                #expect([2, 3, 4, 5, 6, 8, 10].contains(seconds))
                #expect(abs(charged - Double(seconds) * 0.09) < 1e-9)
                #expect(stats.unpricedGenerations == 1)

                let poll = try await sim.v2Poll("text-to-video", id)
                let video = try await sim.download(try #require((poll.json["result"] as? [String: Any])?["video_url"] as? String))
                #expect(video.status == 200)
                let info = try probe(video.body)
                let stream = try #require(info.video)
                #expect(stream.frameCount == TestPattern.lightricksFrameCount(duration: Double(seconds), fps: Rational(24, 1)))
                #expect(stream.width == 1280 && stream.height == 720)
            }
        }

        @Test("audio-to-video measures the audio: 1 s is 400, 3 s is accepted and billed per second of audio")
        func audioLength() async throws {
            let short = try Harness.fixture("tone-1s.ogg")
            let voice = try Harness.fixture("voice-3s.wav")
            try await Harness.v2 { sim in
                let refused = try await sim.v2Submit("audio-to-video", ["prompt": "hum", "audio_uri": dataURI(short, mime: "audio/ogg")])
                #expect(refused.status == 400)
                #expect(refused.errorType == "invalid_request_error")
                #expect(refused.errorMessage?.contains("is 1 s long; audio-to-video takes audio of 2-20 s") == true, "\(refused.text)")
                #expect(await sim.server.stats().costCharged == 0)

                let accepted = try await sim.v2Submit("audio-to-video", ["prompt": "speak", "audio_uri": dataURI(voice, mime: "audio/wav")])
                #expect(accepted.status == 202, "\(accepted.text)")
                #expect(abs(await sim.server.stats().costCharged - 0.30) < 1e-9)  // 3 s of audio × $0.10
            }
        }

        @Test("an oversized data: URI is 413 request_too_large (7 MB for images, 15 MB for audio)")
        func inlineTooLarge() async throws {
            let bigImage = png + [UInt8](repeating: 0, count: 5_300_000)  // about 7.07 MB once base64-encoded
            try await Harness.v2 { sim in
                let image = try await sim.v2Submit("image-to-video", [
                    "prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": dataURI(bigImage, mime: "image/png"),
                ])
                #expect(image.status == 413)
                #expect(image.envelopeType == "error")
                #expect(image.errorType == "request_too_large")
                #expect(image.errorMessage?.contains("at most 7000000 bytes encoded for images") == true, "\(image.text)")

                // The same bytes fit the audio limit, so the answer there is about the content, not the size.
                let audio = try await sim.v2Submit("audio-to-video", ["prompt": "p", "audio_uri": dataURI(bigImage, mime: "audio/wav")])
                #expect(audio.status == 400)
                #expect(audio.errorMessage?.contains("audio_uri is not audio") == true)
            }
        }

        @Test("prices per the facts: per second by model and short-side tier, portrait as landscape; 402 insufficient_funds_error when short")
        func pricing() async throws {
            try await Harness.v2({ $0.credits = 3.50 }) { sim in
                let cases: [([String: Any], Double)] = [
                    (["prompt": "a", "model": "ltx-2-3-fast", "resolution": "1080x1920", "duration": 10], 0.60),
                    (["prompt": "b", "model": "ltx-2-3-fast", "resolution": "1280x720", "duration": 4], 0.12),
                    (["prompt": "c", "model": "ltx-2-3-pro", "resolution": "2160x3840", "duration": 6], 1.92),
                ]
                var expected = 0.0
                for (fields, cost) in cases {
                    let id = try await sim.v2Accepted("text-to-video", fields)
                    expected += cost
                    let stats = await sim.server.stats()
                    #expect(abs(stats.costCharged - expected) < 1e-9, "\(fields)")
                    #expect(abs((stats.costByGeneration[id] ?? -1) - cost) < 1e-9, "\(fields)")
                }
                // An https audio URL is not fetched: its length is assumed (8 s) and billed at $0.10 per second of audio.
                _ = try await sim.v2Accepted("audio-to-video", ["prompt": "d", "audio_uri": "https://cdn.example.com/song.mp3"])
                expected += 0.80
                #expect(abs(await sim.server.stats().costCharged - expected) < 1e-9)

                // $0.06 left: 6 s of ltx-2-3-pro 1080p ($0.48) is refused, nothing charged.
                let short = try await sim.v2Submit(["prompt": "e", "model": "ltx-2-3-pro", "resolution": "1920x1080", "duration": 6])
                #expect(short.status == 402)
                #expect(short.errorType == "insufficient_funds_error")
                #expect(await sim.server.stats().submitsAccepted == 4)
                #expect(abs(await sim.server.stats().credits - 0.06) < 1e-9)

                // Prices found nowhere stay unknown: the job runs, nothing is charged, and stats say it was unpriced.
                let unknown = try await sim.v2Accepted("text-to-video", ["prompt": "f", "model": "ltx-2-3-pro", "resolution": "1280x720", "duration": 6])
                let stats = await sim.server.stats()
                #expect(stats.costByGeneration[unknown] == nil)
                #expect(stats.unpricedGenerations == 1)
                #expect(abs(stats.costCharged - expected) < 1e-9)
            }
        }

        @Test("a price filled in through the configuration is charged")
        func priceOverride() async throws {
            var prices = LTXV2PriceList.facts
            prices.perSecond["ltx-2-5-pro", default: [:]]["1080p"] = 0.25
            try await Harness.v2({ $0.ltxV2Prices = prices }) { sim in
                let id = try await sim.v2Accepted("text-to-video", ["prompt": "g", "model": "ltx-2-5-pro", "resolution": "1080x1920", "duration": 4])
                let stats = await sim.server.stats()
                #expect(abs((stats.costByGeneration[id] ?? -1) - 1.00) < 1e-9)
                #expect(stats.unpricedGenerations == 0)
            }
        }

        @Test("authentication on /v1 and /v2 (401 authentication_error), none on upload targets and /files")
        func authentication() async throws {
            try await Harness.v2 { sim in
                let missing = try await sim.v2Submit(json: "{}", credentials: .none)
                #expect(missing.status == 401)
                #expect(missing.envelopeType == "error")
                #expect(missing.errorType == "authentication_error")
                #expect(missing.header("x-request-id")?.isEmpty == false)
                #expect(try await sim.v2Poll("text-to-video", "x", credentials: .header("Bearer wrong")).errorType == "authentication_error")
                let upload = try await RawHTTP.send("POST", sim.url("/v1/upload"))
                #expect(upload.status == 401)
                #expect(upload.errorType == "authentication_error")
                let sync = try await RawHTTP.send("POST", sim.url("/v1/text-to-video"), body: Array("{}".utf8))
                #expect(sync.errorType == "authentication_error")
                #expect(await sim.server.stats().unauthorized == 4)

                // An upload target judges its own headers, never the API key.
                let ticket = try await sim.v2Ticket()
                #expect(try await sim.v2Put(ticket, bytes: [1, 2, 3]).status == 200)
                #expect(await sim.server.stats().unauthorized == 4)
            }
        }
    }
}
