import Foundation
import Testing

@Suite("ltxpipe probe")
struct ProbeCommandTests {
    @Test("probe --json of an MP4 and a WAV: exit 0, one object per file with exact fps and counts")
    func probeJSON() async throws {
        try await Support.withTemporaryDirectory { dir in
            let clip = try Support.copyFixture("media/clip-320x180-25fps-145f.mp4", into: dir)
            let result = try await Support.run(["probe", "--json", clip, Support.fixture("media/voice-3s.wav")], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            let entries = try result.jsonArray()
            try #require(entries.count == 2)

            let mp4 = entries[0]
            #expect(mp4["path"] as? String == clip)
            #expect((mp4["container"] as? String)?.contains("mp4") == true)
            #expect(mp4["size"] as? Int == 107_518)
            let streams = try #require(mp4["streams"] as? [[String: Any]])
            #expect(streams.count == 2)
            let video = try #require(streams.first { $0["type"] as? String == "video" })
            #expect(video["codec"] as? String == "h264")
            #expect(video["width"] as? Int == 320)
            #expect(video["height"] as? Int == 180)
            #expect(video["fps"] as? String == "25/1")
            #expect(video["frame_count"] as? Int == 145)
            #expect(video["frame_count_source"] as? String == "index")
            let audio = try #require(streams.first { $0["type"] as? String == "audio" })
            #expect(audio["codec"] as? String == "aac")
            #expect(audio["sample_rate"] as? Int == 48_000)

            let wav = entries[1]
            let wavStreams = try #require(wav["streams"] as? [[String: Any]])
            #expect(wavStreams.count == 1)
            #expect(wavStreams[0]["sample_rate"] as? Int == 22_050)
            #expect(wavStreams[0]["channels"] as? Int == 1)
            #expect(wavStreams[0]["channel_layout"] as? String == "mono")
        }
    }

    @Test("probe without --json prints human text on stdout")
    func probeText() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["probe", Support.fixture("media/clip-320x180-25fps-145f.mp4")], in: dir)
            #expect(result.status == 0)
            #expect(result.stdout.contains("h264, 320x180, 25/1 fps, 145 frames (index)"))
            #expect(result.stderr.isEmpty)
        }
    }

    @Test("probe of a missing file: exit 2 and one stderr line naming it")
    func probeMissing() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["probe", "no-such-clip.mp4"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderrLines.first?.contains("no-such-clip.mp4") == true)
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("probe --json of a good and a missing file: exit 2, the good one described, the missing one as an error entry")
    func probeMixedJSON() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["probe", "--json", Support.fixture("media/voice-3s.wav"), "gone.wav"], in: dir)
            #expect(result.status == 2)
            let entries = try result.jsonArray()
            try #require(entries.count == 2)
            #expect(entries[0]["streams"] != nil)
            #expect(entries[1]["path"] as? String == "gone.wav")
            #expect(entries[1]["kind"] as? String == "not-found")
            #expect(entries[1]["error"] as? String == "no such file")
            #expect(result.stderrLines.count == 1)
        }
    }

    @Test("probe of a text file renamed .png: exit 2, not a 0x0 picture", arguments: ["damaged/text-renamed.png", "damaged/empty.png"])
    func probeNotMedia(fixture: String) async throws {
        try await Support.withTemporaryDirectory { dir in
            let path = Support.fixture(fixture)
            let result = try await Support.run(["probe", "--json", path], in: dir)
            #expect(result.status == 2, "\(result)")
            let entries = try result.jsonArray()
            #expect(entries.count == 1)
            #expect(["not-media", "empty"].contains(entries.first?["kind"] as? String ?? ""))
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.contains(path))
        }
    }
}
