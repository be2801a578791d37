import Foundation
import Testing

@Suite("ltxpipe preflight")
struct PreflightCommandTests {
    @Test("a 16:9 JPEG passes through: exit 0, output is the input, nothing written")
    func passThrough() async throws {
        try await Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/landscape-16x9.jpg", into: dir)
            let before = try Support.bytes(Support.path(dir, input))
            let result = try await Support.run(["preflight", "--dialect", "generations", "--json", input, "--out", "out"], in: dir)
            #expect(result.status == 0, "\(result)")
            let report = try result.jsonObject()
            #expect(report["passed_through"] as? Bool == true)
            #expect(report["output"] as? String == input)
            #expect(report["output_content_type"] as? String == "image/jpeg")
            #expect(try Support.listing(dir) == [input])
            #expect(try Support.bytes(Support.path(dir, input)) == before)
        }
    }

    @Test("a fix is needed and no --out given: exit 1, nothing written")
    func needsFix() async throws {
        try await Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/quadrants-4x3.jpg", into: dir)
            let result = try await Support.run(["preflight", "--dialect", "generations", input], in: dir)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("cropped"))
            #expect(result.stdout.contains("needs a fix"))
            #expect(try Support.listing(dir) == [input])

            let json = try await Support.run(["preflight", "--dialect", "generations", "--json", input], in: dir)
            #expect(json.status == 1)
            let report = try json.jsonObject()
            #expect(report["passed_through"] as? Bool == false)
            #expect(report["output"] == nil)
        }
    }

    @Test("with --out the conforming JPEG is written: exit 0, file exists")
    func writesFix() async throws {
        try await Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/quadrants-4x3.jpg", into: dir)
            let result = try await Support.run(["preflight", "--dialect", "generations", "--json", input, "--out", "out"], in: dir)
            #expect(result.status == 0, "\(result)")
            let report = try result.jsonObject()
            let output = try #require(report["output"] as? String)
            #expect(output.hasSuffix("out/quadrants-4x3.jpg"))
            let bytes = try Support.bytes(output.hasPrefix("/") ? output : Support.path(dir, output))
            #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])
            #expect(report["output_size"] as? Int == bytes.count)
            let actions = try #require(report["actions"] as? [[String: Any]]).compactMap { $0["action"] as? String }
            #expect(actions.contains("cropped"))
            #expect(try Support.listing(Support.path(dir, "out")) == ["quadrants-4x3.jpg"])
        }
    }

    @Test("audio needing a trim is written as MP3 with --out")
    func audioFix() async throws {
        try await Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/music-12s.flac", into: dir)
            let result = try await Support.run(["preflight", "--dialect", "generations", "--json", input, "--model", "ltx-2-pro", "--duration", "6", "--out", "out"], in: dir)
            #expect(result.status == 0, "\(result)")
            let report = try result.jsonObject()
            #expect(report["kind"] as? String == "audio")
            #expect(report["output_content_type"] as? String == "audio/mpeg")
            #expect(try Support.listing(Support.path(dir, "out")) == ["music-12s.mp3"])
        }
    }

    @Test("damaged input: exit 2, one stderr line containing the path, nothing written", arguments: [
        "damaged/truncated.jpg", "damaged/no-iend.png", "damaged/bomb-60000x60000.png",
        "damaged/text-renamed.png", "damaged/empty.png", "damaged/corrupt.mp3",
    ])
    func damaged(fixture: String) async throws {
        try await Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture(fixture, into: dir)
            let before = try Support.bytes(Support.path(dir, input))
            let result = try await Support.run(["preflight", "--dialect", "generations", input, "--out", "out"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.contains(input))
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: Support.path(dir, "out/" + (input as NSString).deletingPathExtension + ".jpg")))
            #expect(!FileManager.default.fileExists(atPath: Support.path(dir, "out/" + (input as NSString).deletingPathExtension + ".mp3")))
            #expect(try Support.bytes(Support.path(dir, input)) == before)
        }
    }

    @Test("a video is not a preflight input: exit 2")
    func videoRefused() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["preflight", "--dialect", "generations", Support.fixture("media/clip-320x180-25fps-145f.mp4")], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("is a video"))
        }
    }

    @Test("--model ltx-2-pro --duration 30 is refused with the catalog's message: exit 2")
    func catalogRefusal() async throws {
        try await Support.withTemporaryDirectory { dir in
            let audio = try await Support.run(["preflight", "--dialect", "generations", "--model", "ltx-2-pro", "--duration", "30", Support.fixture("media/voice-3s.wav")], in: dir)
            #expect(audio.status == 2, "\(audio)")
            #expect(audio.stderr.contains("duration 30 is outside 6–10 for ltx-2-pro"))
            #expect(audio.stderrLines.count == 1)

            let image = try await Support.run(["preflight", "--dialect", "generations", "--model", "ltx-2-pro", "--duration", "30", Support.fixture("media/landscape-16x9.jpg")], in: dir)
            #expect(image.status == 2)
            #expect(image.stderr.contains("duration 30 is outside 6–10 for image-to-video"))
            #expect(try Support.listing(dir).isEmpty)
        }
    }

    @Test("audio-to-video on ltx-2-fast is refused before any work: exit 2")
    func audioNeedsPro() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["preflight", "--dialect", "generations", "--model", "ltx-2-fast", Support.fixture("media/voice-3s.wav")], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("audio-to-video needs model ltx-2-pro, not ltx-2-fast"))
        }
    }
}
