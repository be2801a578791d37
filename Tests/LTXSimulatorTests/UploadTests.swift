import Foundation
import Testing
@testable import LTXSimulator

@Suite("Multipart submits and uploaded files")
struct UploadTests {
    @Test("multipart text fields are read like JSON fields, with an image file part")
    func multipartImage() async throws {
        let jpeg = try Harness.fixture("landscape-16x9.jpg")
        try await Harness.with { sim in
            let reply = try await sim.submitMultipart(
                "image-to-video",
                fields: [("prompt", "the kite rises"), ("model", "ltx-2-pro"), ("duration", "6"), ("fps", "25"), ("seed", "12")],
                files: [MultipartFile(name: "image", filename: "kite.jpg", contentType: "image/jpeg", bytes: jpeg)])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["model"] as? String == "ltx-2-pro")
            #expect(reply.json["duration"] as? Int == 6)
            #expect(reply.json["fps"] as? Int == 25)
            #expect(reply.json["cost"] as? Double == 0.3)
            // Numeric text fields are parsed, not ignored: an out-of-range one is refused.
            let refused = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p"), ("duration", "11"), ("fps", "50")],
                files: [MultipartFile(name: "image", filename: "kite.jpg", contentType: "image/jpeg", bytes: jpeg)])
            #expect(refused.errorMessage?.contains("duration 11 is outside 6-10 for image-to-video") == true)
            #expect(await sim.server.stats().submitsByPrompt == ["the kite rises": 1])
        }
    }

    @Test("multipart rules are the same as JSON: a bad duration is 400")
    func multipartValidation() async throws {
        try await Harness.with { sim in
            let reply = try await sim.submitMultipart("text-to-video", fields: [("prompt", "p"), ("duration", "30")], files: [])
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("duration 30 is outside 6-20") == true)
            let url = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p"), ("image", "https://example.com/still.webp")], files: [])
            #expect(url.status == 200, "\(url.text)")
        }
    }

    @Test("accepted audio formats by content: WAV, MP3 (ID3), Ogg, ADTS AAC, M4A", arguments: [
        "voice-3s.wav", "tone-4s.mp3", "tone-1s.ogg", "adts", "m4a", "mp3-frame",
    ])
    func audioFormats(_ name: String) async throws {
        let bytes: [UInt8]
        switch name {
        case "adts": bytes = [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC] + [UInt8](repeating: 0, count: 64)
        case "m4a": bytes = [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [UInt8](repeating: 0, count: 64)
        case "mp3-frame": bytes = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 64)
        default: bytes = try Harness.fixture(name)
        }
        try await Harness.with { sim in
            let reply = try await sim.submitMultipart(
                "audio-to-video", fields: [("prompt", "sing")],
                files: [MultipartFile(name: "audio", filename: "track.bin", contentType: "application/octet-stream", bytes: bytes)])
            #expect(reply.status == 200, "\(reply.text)")
        }
    }

    @Test("formats are judged by content, not name: a PNG named .mp3 is 422 for audio, text named .png is 422 for images")
    func unsupportedFormats() async throws {
        let png = try Harness.fixture("logo-alpha.png")
        try await Harness.with { sim in
            let audio = try await sim.submitMultipart(
                "audio-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "audio", filename: "song.mp3", contentType: "audio/mpeg", bytes: png)])
            #expect(audio.status == 422)
            #expect(audio.errorType == "unsupported_format")
            #expect(audio.errorMessage?.contains("song.mp3") == true)

            let image = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "image", filename: "still.png", contentType: "image/png", bytes: Array("not an image at all".utf8))])
            #expect(image.status == 422)
            #expect(image.errorType == "unsupported_format")

            let tiff = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "image", filename: "teal.jpg", contentType: "image/jpeg", bytes: try Harness.fixture("teal-16x9.tif"))])
            #expect(tiff.status == 422)

            let gif = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "image", filename: "anim.dat", contentType: "application/octet-stream", bytes: try Harness.fixture("anim-4x3.gif"))])
            #expect(gif.status == 200)
            #expect(await sim.server.stats().submitsAccepted == 1)
        }
    }

    @Test("files over the limits are 413: image > 20 MB, audio > 50 MB")
    func tooLarge() async throws {
        let pngHead: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        try await Harness.with { sim in
            let image = pngHead + [UInt8](repeating: 0, count: 20_000_001 - pngHead.count)
            let big = try await sim.submitMultipart(
                "image-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "image", filename: "big.png", contentType: "image/png", bytes: image)])
            #expect(big.status == 413)
            #expect(big.errorType == "file_too_large")
            #expect(big.errorMessage?.contains("20000001 bytes") == true)

            let id3 = Array("ID3".utf8)
            let audio = id3 + [UInt8](repeating: 0, count: 50_000_001 - id3.count)
            let bigAudio = try await sim.submitMultipart(
                "audio-to-video", fields: [("prompt", "p")],
                files: [MultipartFile(name: "audio", filename: "long.mp3", contentType: "audio/mpeg", bytes: audio)])
            #expect(bigAudio.status == 413)
            #expect(bigAudio.errorType == "file_too_large")
            #expect(await sim.server.stats().submitsAccepted == 0)
        }
    }

    @Test("exactly 20 MB of image and 50 MB of audio are accepted (decimal megabytes, as the client's preflight uses)")
    func limitsAreInclusive() throws {
        let rules = GenerationRules.reference
        func form(_ field: String, _ head: [UInt8], _ count: Int) -> SubmissionForm {
            let bytes = head + [UInt8](repeating: 0, count: count - head.count)
            return SubmissionForm(fields: [
                "prompt": .text("p"),
                field: .file(UploadedFile(bytes: bytes[...], filename: nil, contentType: nil)),
            ])
        }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let image = try rules.validate(form("image", png, 20_000_000), mode: .imageToVideo)
        #expect(image.image == .file(byteCount: 20_000_000, format: "png"))
        #expect(throws: SimulatorError.self) { try rules.validate(form("image", png, 20_000_001), mode: .imageToVideo) }
        let audio = try rules.validate(form("audio", Array("ID3".utf8), 50_000_000), mode: .audioToVideo)
        #expect(audio.audio == .file(byteCount: 50_000_000, format: "mp3"))
        do {
            _ = try rules.validate(form("audio", Array("ID3".utf8), 50_000_001), mode: .audioToVideo)
            Issue.record("50 000 001 bytes of audio were accepted")
        } catch {
            #expect(error.kind == .fileTooLarge)
        }
    }

    @Test("a malformed multipart body is 400")
    func malformedMultipart() async throws {
        try await Harness.with { sim in
            var headers = sim.auth(.valid)
            headers["Content-Type"] = "multipart/form-data; boundary=abc"
            let body = Array("--abc\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nno closing boundary".utf8)
            let reply = try await RawHTTP.send("POST", sim.url("/v1/generations/text-to-video"), headers: headers, body: body)
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("malformed multipart body") == true)

            headers["Content-Type"] = "text/plain"
            let plain = try await RawHTTP.send("POST", sim.url("/v1/generations/text-to-video"), headers: headers, body: Array("hi".utf8))
            #expect(plain.status == 400)
            #expect(plain.errorMessage?.contains("text/plain is not supported") == true)
        }
    }
}
