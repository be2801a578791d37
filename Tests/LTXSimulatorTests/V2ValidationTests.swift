import Foundation
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
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","resolution":"1280x720","duration":6}"#, message: #"resolution "1280x720" is not supported"#),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"fps":30}"#, message: "fps 30 is not supported"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6,"fps":"24"}"#, message: "fps must be a whole number"),
            .init(mode: "text-to-video", json: #"{\#(t2v)}"#, message: "duration is required"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":"6"}"#, message: "duration must be a whole number"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":6.5}"#, message: "duration must be a whole number"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":5}"#, message: "duration 5 is outside 6-20"),
            // Durations: fast at 1080p-class and ≤ 25 fps goes to 20 s; everything else to 10 s.
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":21,"fps":25}"#, message: "duration 21 is outside 6-20"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-fast","resolution":"1080x1920","duration":21}"#, message: "duration 21 is outside 6-20"),
            .init(mode: "text-to-video", json: #"{\#(t2v),"duration":11,"fps":48}"#, message: "duration 11 is outside 6-10"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","resolution":"2560x1440","duration":11}"#, message: "duration 11 is outside 6-10"),
            .init(mode: "text-to-video", json: #"{"prompt":"p","model":"ltx-2-3-pro","resolution":"1920x1080","duration":11}"#, message: "duration 11 is outside 6-10 s for ltx-2-3-pro"),
            .init(mode: "image-to-video", json: #"{"prompt":"p","model":"ltx-2-3-fast","resolution":"1920x1080","duration":11,"image_uri":"\#(pngURI)"}"#, message: "duration 11 is outside 6-10 s for image-to-video"),
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
            .init(mode: "audio-to-video", json: #"{"prompt":"p","audio_uri":"\#(a2vAudio)","model":"ltx-2-3-fast"}"#, message: "audio-to-video supports only ltx-2-3-pro or ltx-2-pro"),
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

        @Test("the boundaries of each duration range are accepted")
        func durationBoundaries() async throws {
            try await Harness.v2 { sim in
                for (model, resolution, fps, duration) in [
                    ("ltx-2-3-fast", "1920x1080", 25, 20), ("ltx-2-fast", "1080x1920", 24, 20), ("ltx-2-3-fast", "1920x1080", 50, 10),
                    ("ltx-2-3-fast", "3840x2160", 24, 10), ("ltx-2-3-pro", "2560x1440", 48, 10), ("ltx-2-pro", "1920x1080", 24, 6),
                ] {
                    let reply = try await sim.v2Submit(
                        ["prompt": "edge", "model": model, "resolution": resolution, "fps": fps, "duration": duration])
                    #expect(reply.status == 202, "\(model) \(resolution) \(fps) fps \(duration) s: \(reply.text)")
                }
                #expect(await sim.server.stats().submitsAccepted == 6)
            }
        }

        @Test("last_frame_uri needs an ltx-2-3 model: 400 on ltx-2-fast and ltx-2-pro, 202 on ltx-2-3-fast")
        func lastFrameModels() async throws {
            try await Harness.v2 { sim in
                for model in ["ltx-2-fast", "ltx-2-pro"] {
                    let refused = try await sim.v2Submit("image-to-video", [
                        "prompt": "p", "model": model, "resolution": "1920x1080", "duration": 6, "image_uri": pngURI, "last_frame_uri": pngURI,
                    ])
                    #expect(refused.status == 400)
                    #expect(refused.errorType == "invalid_request_error")
                    #expect(refused.errorMessage?.contains("last_frame_uri is supported only by ltx-2-3-fast and ltx-2-3-pro") == true)
                }
                let accepted = try await sim.v2Submit("image-to-video", [
                    "prompt": "p", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "image_uri": pngURI,
                    "last_frame_uri": "https://cdn.example.com/last.webp", "camera_motion": "jib_up",
                ])
                #expect(accepted.status == 202, "\(accepted.text)")
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
                #expect(abs(await sim.server.stats().costCharged - 0.15) < 1e-9)  // 3 s × $0.05
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

        @Test("prices: per second of video by model and resolution class; 402 insufficient_funds_error when short")
        func pricing() async throws {
            try await Harness.v2({ $0.credits = 2.10 }) { sim in
                let cases: [([String: Any], Double)] = [
                    (["prompt": "a", "model": "ltx-2-3-fast", "resolution": "1080x1920", "duration": 10], 0.20),
                    (["prompt": "b", "model": "ltx-2-fast", "resolution": "2560x1440", "duration": 6], 0.24),
                    (["prompt": "c", "model": "ltx-2-3-pro", "resolution": "3840x2160", "duration": 6], 1.20),
                ]
                var expected = 0.0
                for (fields, cost) in cases {
                    _ = try await sim.v2Accepted("text-to-video", fields)
                    expected += cost
                    #expect(abs(await sim.server.stats().costCharged - expected) < 1e-9, "\(fields)")
                }
                // An https audio URL is not fetched: its length is assumed (8 s) and billed at the pro 1080p rate.
                _ = try await sim.v2Accepted("audio-to-video", ["prompt": "d", "audio_uri": "https://cdn.example.com/song.mp3"])
                expected += 0.40
                #expect(abs(await sim.server.stats().costCharged - expected) < 1e-9)

                let short = try await sim.v2Submit(["prompt": "e", "model": "ltx-2-3-pro", "resolution": "1920x1080", "duration": 6])
                #expect(short.status == 402)
                #expect(short.errorType == "insufficient_funds_error")
                #expect(await sim.server.stats().submitsAccepted == 4)
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
