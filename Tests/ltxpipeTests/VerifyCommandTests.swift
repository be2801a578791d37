import Foundation
import Testing
import LTXMedia

/// The expectations of a 6 s, 25 fps, 320x180 generation with audio.
private let expectations = ["--fps", "25", "--duration", "6", "--resolution", "320x180", "--audio"]

@Suite("ltxpipe verify")
struct VerifyCommandTests {
    @Test("many files in one call: one report each, exit 2 when any file is unreadable")
    func manyFilesWithUnreadable() async throws {
        try await Support.withTemporaryDirectory { dir in
            try Support.makeVideo(in: dir, name: "good.mp4", frames: 145)
            try Support.makeVideo(in: dir, name: "bad.mp4", frames: 150)
            try Support.copyFixture("damaged/text-renamed.png", into: dir, as: "unreadable.mp4")
            let result = try await Support.run(["verify", "--json"] + expectations + ["good.mp4", "bad.mp4", "unreadable.mp4"], in: dir)
            #expect(result.status == 2, "\(result)")
            let entries = try result.jsonArray()
            try #require(entries.count == 3)
            #expect(entries.map { $0["path"] as? String } == ["good.mp4", "bad.mp4", "unreadable.mp4"])

            #expect(entries[0]["passed"] as? Bool == true)
            #expect(entries[0]["mode"] as? String == "quick")
            let goodChecks = try #require(entries[0]["checks"] as? [[String: Any]])
            #expect(goodChecks.allSatisfy { $0["passed"] as? Bool == true })
            #expect(Set(goodChecks.compactMap { $0["name"] as? String }).isSuperset(of: ["fps", "frame_count_8n+1", "duration", "resolution", "audio"]))

            #expect(entries[1]["passed"] as? Bool == false)
            let badChecks = try #require(entries[1]["checks"] as? [[String: Any]])
            let failed = badChecks.filter { $0["passed"] as? Bool == false }
            #expect(failed.compactMap { $0["name"] as? String } == ["frame_count_8n+1"])
            #expect(failed.first?["expected"] as? String == "N mod 8 = 1")
            #expect(failed.first?["actual"] as? String == "150 (mod 8 = 6)")
            let measured = try #require(entries[1]["measured"] as? [String: Any])
            #expect(measured["frames"] as? Int == 150)

            #expect(entries[2]["kind"] as? String == "not-media")
            #expect(entries[2]["passed"] == nil)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.contains("unreadable.mp4"))
        }
    }

    @Test("exit 1 when files open but a check fails, 0 when all pass")
    func exitCodes() async throws {
        try await Support.withTemporaryDirectory { dir in
            try Support.makeVideo(in: dir, name: "good.mp4", frames: 145)
            try Support.makeVideo(in: dir, name: "also-good.mp4", frames: 153)
            try Support.makeVideo(in: dir, name: "silent.mp4", frames: 145, audio: false)

            let pass = try await Support.run(["verify"] + expectations + ["good.mp4", "also-good.mp4"], in: dir)
            #expect(pass.status == 0, "\(pass)")
            #expect(pass.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") }.count == 2)
            #expect(pass.stderr.isEmpty)

            let fail = try await Support.run(["verify"] + expectations + ["good.mp4", "silent.mp4"], in: dir)
            #expect(fail.status == 1, "\(fail)")
            #expect(fail.stdout.contains("FAIL  silent.mp4"))
            #expect(fail.stdout.contains("audio: expected audio stream present, got no audio stream"))
        }
    }

    @Test("a 24 fps file verified as 25 fps fails with exit 1")
    func wrongFPS() async throws {
        try await Support.withTemporaryDirectory { dir in
            try Support.makeVideo(in: dir, name: "24.mp4", fps: Rational(24, 1), frames: 145, audio: false)
            let result = try await Support.run(["verify", "--json", "--fps", "25", "24.mp4"], in: dir)
            #expect(result.status == 1)
            let checks = try #require(try result.jsonArray().first?["checks"] as? [[String: Any]])
            let fps = try #require(checks.first { $0["name"] as? String == "fps" })
            #expect(fps["passed"] as? Bool == false)
            #expect(fps["actual"] as? String == "24/1")
            #expect(try await Support.run(["verify", "--fps", "24/1", "24.mp4"], in: dir).status == 0)
        }
    }

    @Test("a truncated file whose index still reads is a failed check: exit 1, not 2")
    func truncated() async throws {
        try await Support.withTemporaryDirectory { dir in
            try Support.makeVideo(in: dir, name: "full.mp4", frames: 145)
            let bytes = try Support.bytes(Support.path(dir, "full.mp4"))
            try Data(bytes[0..<(bytes.count * 7 / 10)]).write(to: URL(fileURLWithPath: Support.path(dir, "cut.mp4")))
            let result = try await Support.run(["verify", "--json", "cut.mp4"], in: dir)
            #expect(result.status == 1, "\(result)")
            let checks = try #require(try result.jsonArray().first?["checks"] as? [[String: Any]])
            let index = try #require(checks.first { $0["name"] as? String == "index_within_file" })
            #expect(index["passed"] as? Bool == false)
        }
    }

    @Test("--deep reports the first bad frame of a file damaged in the middle")
    func deep() async throws {
        try await Support.withTemporaryDirectory { dir in
            try Support.makeVideo(in: dir, name: "clip.mp4", frames: 145, audio: false)
            var bytes = try Support.bytes(Support.path(dir, "clip.mp4"))
            let middle = bytes.count / 2
            for i in middle..<middle + 64 { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919) }
            try Data(bytes).write(to: URL(fileURLWithPath: Support.path(dir, "damaged.mp4")))

            let quick = try await Support.run(["verify", "--json", "damaged.mp4"], in: dir)
            #expect(quick.status == 0, "quick mode reads the index only: \(quick)")
            let deep = try await Support.run(["verify", "--json", "--deep", "damaged.mp4"], in: dir)
            #expect(deep.status == 1, "\(deep)")
            let report = try #require(try deep.jsonArray().first)
            #expect(report["mode"] as? String == "deep")
            let bad = try #require(report["first_bad_frame"] as? Int)
            #expect(bad > 0 && bad < 145)
        }
    }

    @Test("verify of a missing file: exit 2, one stderr line naming it")
    func missing() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["verify", "absent.mp4"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.contains("absent.mp4"))
        }
    }
}
