import Foundation
import Testing
@testable import LTXMedia

@Suite("MediaProbe")
struct ProbeTests {
    @Test("MP4 fixture: h264 320x180 at exactly 25/1, 145 frames from the index, AAC audio")
    func mp4Fixture() throws {
        let path = Support.fixture("media/clip-320x180-25fps-145f.mp4")
        let info = try MediaProbe.probe(path)
        #expect(info.path == path)
        #expect(info.container.contains("mp4"))
        #expect(info.size == (try Support.size(path)))
        let duration = try #require(info.duration)
        #expect(abs(duration - 5.8) < 0.05)

        let video = try #require(info.video)
        #expect(video.type == .video)
        #expect(video.codec == "h264")
        #expect(video.width == 320)
        #expect(video.height == 180)
        #expect(video.fps == Rational(25, 1))
        #expect(video.frameCount == 145)
        #expect(video.frameCountSource == .index)
        #expect(video.pixelFormat == "yuv420p")

        let audio = try #require(info.audio)
        #expect(audio.codec == "aac")
        #expect(audio.sampleRate == 48_000)
        #expect((audio.channels ?? 0) >= 1)
        #expect(audio.width == nil && audio.fps == nil)
        #expect(info.streams.count == 2)
    }

    @Test("a test pattern written at 30000/1001 fps reports that exact rational, not 29.97")
    func ntscRate() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, fps: Rational(30000, 1001), frames: 9, audio: false)
            let info = try MediaProbe.probe(path)
            let video = try #require(info.video)
            #expect(video.fps == Rational(30000, 1001))
            #expect(video.fps?.description == "30000/1001")
            #expect(video.frameCount == 9)
            #expect(info.audio == nil)
            #expect(info.streams.count == 1)
        }
    }

    @Test("the probe result round-trips through JSON with the rate as text")
    func jsonRoundTrip() throws {
        let info = try MediaProbe.probe(Support.fixture("media/clip-320x180-25fps-145f.mp4"))
        let data = try JSONEncoder().encode(info)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"fps\":\"25\\/1\"") || text.contains("\"fps\":\"25/1\""))
        #expect(try JSONDecoder().decode(MediaInfo.self, from: data) == info)
    }

    @Test("WAV: 22050 Hz mono PCM, 3 s")
    func wav() throws {
        let info = try MediaProbe.probe(Support.fixture("media/voice-3s.wav"))
        #expect(info.container == "wav")
        #expect(info.video == nil)
        let audio = try #require(info.audio)
        #expect(audio.codec == "pcm_s16le")
        #expect(audio.sampleRate == 22_050)
        #expect(audio.channels == 1)
        #expect(audio.channelLayout == "mono")
        #expect(audio.bitDepth == 16)
        #expect(abs((info.duration ?? 0) - 3.0) < 0.01)
    }

    @Test("FLAC: 44100 Hz stereo, 12 s")
    func flac() throws {
        let info = try MediaProbe.probe(Support.fixture("media/music-12s.flac"))
        #expect(info.container == "flac")
        let audio = try #require(info.audio)
        #expect(audio.codec == "flac")
        #expect(audio.sampleRate == 44_100)
        #expect(audio.channels == 2)
        #expect(audio.channelLayout == "stereo")
        #expect(abs((info.duration ?? 0) - 12.0) < 0.01)
    }

    @Test("a 6-channel WAV reports a 5.1 layout and 24 bits")
    func surroundWAV() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "surround.wav")
            try Support.write(WAVBuilder.surround51(seconds: 0.25, rate: 48_000), to: path)
            let audio = try #require(try MediaProbe.probe(path).audio)
            #expect(audio.channels == 6)
            #expect(audio.channelLayout == "5.1")
            #expect(audio.sampleRate == 48_000)
            #expect(audio.bitDepth == 24)
        }
    }

    @Test("Matroska states no frame count: probe falls back to counting packets")
    func matroskaCountsPackets() throws {
        let info = try MediaProbe.probe(Support.fixture("media/clip-320x180-25fps-9f.mkv"))
        #expect(info.container.contains("matroska"))
        let video = try #require(info.video)
        #expect(video.codec == "h264")
        #expect(video.fps == Rational(25, 1))
        #expect(video.frameCount == 9)
        #expect(video.frameCountSource == .packets)
    }

    @Test("a zero-byte file is .empty and names the file")
    func zeroBytes() throws {
        let path = Support.fixture("damaged/empty.png")
        let error = try #require(throws: MediaError.self) { try MediaProbe.probe(path) }
        #expect(error.kind == .empty)
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path + ": "))
    }

    @Test("text renamed .png is not media")
    func textRenamed() throws {
        let path = Support.fixture("damaged/text-renamed.png")
        let error = try #require(throws: MediaError.self) { try MediaProbe.probe(path) }
        #expect(error.kind == .notMedia)
        #expect(error.description.contains(path))
    }

    @Test("a nonexistent path is .notFound")
    func nonexistent() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "missing.mp4")
            let error = try #require(throws: MediaError.self) { try MediaProbe.probe(path) }
            #expect(error.kind == .notFound)
            #expect(error.description.contains(path))
            let nested = Support.path(dir, "missing/inside.mp4")
            #expect(throws: MediaError.self) { try MediaProbe.probe(nested) }
        }
    }

    @Test("a directory is .unreadable, not a crash")
    func directory() throws {
        try Support.withTemporaryDirectory { dir in
            let error = try #require(throws: MediaError.self) { try MediaProbe.probe(dir) }
            #expect(error.kind == .unreadable)
            #expect(error.description.contains(dir))
            #expect(error.reason.contains("directory"))
        }
    }

    @Test("InputKind judges by content: a JPEG named .mp3 is an image, an MP4 is video, a WAV is audio")
    func inputKind() throws {
        try Support.withTemporaryDirectory { dir in
            let disguised = try Support.copyFixture("media/landscape-16x9.jpg", into: dir, as: "song.mp3")
            #expect(try InputKind.detect(disguised) == .image)
            #expect(try InputKind.detect(Support.fixture("media/clip-320x180-25fps-145f.mp4")) == .video)
            #expect(try InputKind.detect(Support.fixture("media/voice-3s.wav")) == .audio)
            #expect(try InputKind.detect(Support.fixture("media/music-12s.flac")) == .audio)
            let error = try #require(throws: MediaError.self) { try InputKind.detect(Support.fixture("damaged/text-renamed.png")) }
            #expect(error.kind == .notMedia)
        }
    }

    @Test("Rational parses and reduces exactly", arguments: [
        ("25", Rational(25, 1)), ("50/2", Rational(25, 1)), ("30000/1001", Rational(30000, 1001)), ("23.976", Rational(23976, 1000)),
    ])
    func rationalParsing(text: String, expected: Rational) throws {
        let parsed = try #require(Rational(parsing: text))
        #expect(parsed == expected)
    }

    @Test("Rational refuses what is not a rate", arguments: ["abc", "25/0", "-25", "1/2/3", ""])
    func rationalRejects(text: String) {
        #expect(Rational(parsing: text) == nil)
    }
}
