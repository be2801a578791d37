import Foundation
import Testing
import LTXMedia

/// `ltxpipe verify --content`: the built binary on made media.
@Suite("ltxpipe verify --content")
struct VerifyContentCommandTests {
    private func make(_ dir: String, _ name: String, frames: Int = 25, picture: TestPattern.Picture = .moving,
                      sound: TestPattern.Sound = .tone) throws {
        try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: frames,
                                                picture: picture, sound: sound), to: Support.path(dir, name))
    }

    private func failedChecks(_ entry: [String: Any]) -> [String] {
        ((entry["checks"] as? [[String: Any]]) ?? []).filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
    }

    @Test("normal videos pass; black (also frozen: every frame alike), frozen and silent ones fail with exit 1")
    func eachFailureCaught() async throws {
        try await Support.withTemporaryDirectory { dir in
            try make(dir, "normal.mp4")
            try make(dir, "still.mp4", picture: .still)
            try make(dir, "black.mp4", picture: .black)
            try make(dir, "frozen.mp4", picture: .frozen)
            try make(dir, "silent.mp4", sound: .silent)
            for deep in [false, true] {
                let result = try await Support.run(["verify", "--json", "--content", "--audio", "--fps", "25"] + (deep ? ["--deep"] : [])
                                             + ["normal.mp4", "still.mp4", "black.mp4", "frozen.mp4", "silent.mp4"], in: dir)
                #expect(result.status == 1, "\(result)")
                let entries = try result.jsonArray()
                try #require(entries.count == 5)
                #expect(entries.map { $0["mode"] as? String } == Array(repeating: deep ? "deep" : "sampled", count: 5))
                #expect(entries.map(failedChecks) == [[], [], ["black_frames", "frozen_frames"], ["frozen_frames"], ["sound"]], "deep \(deep)")
                let measured = try #require(entries[0]["measured"] as? [String: Any])
                let content = try #require(measured["content"] as? [String: Any])
                #expect(content["black_frames"] as? Int == 0)
                #expect(content["audio_level"] as? Double != nil)
            }
            let normal = try await Support.run(["verify", "--content", "--audio", "normal.mp4", "still.mp4"], in: dir)
            #expect(normal.status == 0, "\(normal)")
            #expect(normal.stdout.contains("PASS  normal.mp4  (sampled)"))
            #expect(normal.stdout.contains("content: 1 sampled runs, 0 black or flat, 0 of 1 pairs identical"))
        }
    }

    @Test("--image and --soundtrack: the right start picture and soundtrack pass, others fail")
    func references() async throws {
        try await Support.withTemporaryDirectory { dir in
            try make(dir, "a2v.mp4", frames: 73, sound: .bursts(seed: 1))
            try TestPatternWriter.writeStill(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 73), frame: 0,
                                             to: Support.path(dir, "start.jpg"))
            _ = try Support.copyFixture("media/landscape-16x9.jpg", into: dir, as: "other.jpg")
            try TestPatternWriter.writeSoundtrack(.bursts(seed: 1), seconds: 73.0 / 25, to: Support.path(dir, "input.wav"))
            try TestPatternWriter.writeSoundtrack(.bursts(seed: 2), seconds: 73.0 / 25, to: Support.path(dir, "other.wav"))

            let good = try await Support.run(["verify", "--image", "start.jpg", "--soundtrack", "input.wav", "a2v.mp4"], in: dir)
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.contains("start image SSIM"))

            let bad = try await Support.run(["verify", "--json", "--image", "other.jpg", "--soundtrack", "other.wav", "a2v.mp4"], in: dir)
            #expect(bad.status == 1, "\(bad)")
            #expect(try bad.jsonArray().map(failedChecks) == [["start_image", "soundtrack_match"]])

            let missing = try await Support.run(["verify", "--image", "nope.jpg", "a2v.mp4"], in: dir)
            #expect(missing.status == 2, "\(missing)")
            #expect(missing.stderr.contains("nope.jpg: no such file"))
        }
    }
}
