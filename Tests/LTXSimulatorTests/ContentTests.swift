import Foundation
import Testing
@testable import LTXMedia
@testable import LTXSimulator

/// Decodes frame `index` of the video at `path` to RGBA pixels (0xAABBGGRR words), through LTXMedia's decoder.
private func pixels(_ path: String, frame index: Int) throws -> (width: Int, pixels: [UInt32]) {
    let input = try MediaProbe.openMedia(path)
    let frame = try #require(try ExactFrame.decode(input, videoIndex: 0, target: index, seek: false))
    let image = try ImageCodec.toRGBA(frame, width: frame.width, height: frame.height)
    return (image.width, image.pixels)
}

/// Mean of (R + G + B) / 3 over every pixel.
private func meanBrightness(_ pixels: [UInt32]) -> Double {
    let total = pixels.reduce(0.0) { sum, pixel in
        sum + Double((pixel & 0xFF) + ((pixel >> 8) & 0xFF) + ((pixel >> 16) & 0xFF)) / 3
    }
    return total / Double(max(1, pixels.count))
}

/// Writes `bytes` to a temporary `.mp4` and passes its path to `body`.
private func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-content-\(UUID().uuidString).mp4").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private let small = TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 17, audio: true)

@Suite("content: the videos the simulator renders for content checks")
struct ContentTests {
    @Test(
        "every content variant is a valid MP4: exact size, rate, 8n+1 frames, an audio track, every frame decodes",
        arguments: [
            VideoContent(picture: .moving, sound: .tone), VideoContent(picture: .black, sound: .tone),
            VideoContent(picture: .frozen, sound: .silence), VideoContent(picture: .otherPicture, sound: .otherSoundtrack),
        ])
    func validContainer(_ content: VideoContent) throws {
        try withFile(ContentVideoWriter.build(small, content: content)) { path in
            let info = try MediaProbe.probe(path)
            let video = try #require(info.video)
            #expect(video.width == 320 && video.height == 180)
            #expect(video.fps == Rational(25, 1))
            #expect(video.frameCount == 17)
            #expect(info.audio?.codec == "pcm_s16le")
            let report = try VideoVerifier.verify(
                path, against: VerificationRequest(fps: Rational(25, 1), duration: 0.68, width: 320, height: 180, audioExpected: true, deep: true))
            #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        }
    }

    @Test("moving pictures differ frame to frame (scrolled by 2 pixels, no edge smear); frozen repeats exactly; black is black")
    func pictures() throws {
        let shape = TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9, audio: false)
        try withFile(ContentVideoWriter.build(shape, content: VideoContent(picture: .moving))) { path in
            let first = try pixels(path, frame: 0)
            let second = try pixels(path, frame: 1)
            let last = try pixels(path, frame: 8)
            #expect(first.pixels != second.pixels)
            #expect(second.pixels != last.pixels)
            // Frame 8 is frame 0 moved left by 16 pixels, all the way to the right edge (new picture scrolled in).
            var matches = 0
            for row in stride(from: 0, to: 180, by: 7) {
                for column in 0..<(320 - 16) where last.pixels[row * 320 + column] == first.pixels[row * 320 + column + 16] {
                    matches += 1
                }
            }
            #expect(Double(matches) / Double(26 * 304) > 0.98)
            #expect(meanBrightness(last.pixels) > 40)
            let rightEdge = (0..<180).map { last.pixels[$0 * 320 + 319] }
            #expect(Set(rightEdge).count > 10, "the column scrolled in carries the picture, not a repeated edge")
        }
        try withFile(ContentVideoWriter.build(shape, content: VideoContent(picture: .frozen))) { path in
            let first = try pixels(path, frame: 0)
            let middle = try pixels(path, frame: 4)
            let last = try pixels(path, frame: 8)
            #expect(middle.pixels == first.pixels)
            #expect(last.pixels == first.pixels)
            #expect(meanBrightness(first.pixels) > 40)
        }
        try withFile(ContentVideoWriter.build(shape, content: VideoContent(picture: .black))) { path in
            for index in [0, 8] {
                let frame = try pixels(path, frame: index)
                #expect(meanBrightness(frame.pixels) < 3)
            }
        }
        let moving = try withFile(ContentVideoWriter.build(shape, content: VideoContent(picture: .moving))) { try pixels($0, frame: 0) }
        let other = try withFile(ContentVideoWriter.build(shape, content: VideoContent(picture: .otherPicture))) { try pixels($0, frame: 0) }
        let differing = zip(moving.pixels, other.pixels).filter { $0 != $1 }.count
        #expect(Double(differing) / Double(moving.pixels.count) > 0.9)
    }

    @Test("soundtracks: the tone and the other soundtrack are loud, silence is zero, and they differ")
    func soundtracks() throws {
        func samples(_ sound: VideoContent.Sound) throws -> [Int16] {
            guard case .pcm(let samples, let channels, let rate) = ContentVideoWriter.soundtrack(sound, seconds: 2) else {
                Issue.record("not PCM")
                return []
            }
            #expect(channels == 1 && rate == 48_000)
            #expect(samples.count == 96_000)
            return samples
        }
        func rms(_ samples: [Int16]) -> Double {
            (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))).squareRoot() / 32_768
        }
        let tone = try samples(.tone)
        let silence = try samples(.silence)
        let other = try samples(.otherSoundtrack)
        #expect(rms(tone) > 0.1)
        #expect(rms(other) > 0.05)
        #expect(silence.allSatisfy { $0 == 0 })
        #expect(tone != other)
    }

    @Test("input audio is carried through: WAV as PCM sample for sample, MP3 frame for frame, Ogg transcoded to MP3")
    func inputAudio() throws {
        let wav = try Harness.fixture("voice-3s.wav")
        let wavTrack = try #require(InputAudioTrack(wav))
        guard case .pcm(let samples, let channels, let rate)? = wavTrack.audio() else {
            Issue.record("WAV was not read as PCM")
            return
        }
        let shape = TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 73, audio: true)
        let file = ContentVideoWriter.build(shape, content: VideoContent(sound: .input(wavTrack)))
        try withFile(file) { path in
            let info = try MediaProbe.probe(path)
            let audio = try #require(info.audio)
            #expect(audio.codec == "pcm_s16le")
            #expect(audio.sampleRate == rate)
            #expect(audio.channels == channels)
            #expect(abs((audio.duration ?? 0) - Double(samples.count / channels) / Double(rate)) < 0.05)
        }
        // The WAV's own sample bytes appear in the MP4 unchanged.
        let needle = Array(wav.suffix(4_096))
        #expect(ByteSearch.find(needle, in: file, from: 0) != nil)

        let mp3 = try Harness.fixture("tone-4s.mp3")
        let mp3Track = try #require(InputAudioTrack(mp3))
        guard case .mp3(let frames, _, _, let mp3Rate)? = mp3Track.audio() else {
            Issue.record("MP3 was not split into frames")
            return
        }
        try withFile(ContentVideoWriter.build(shape, content: VideoContent(sound: .input(mp3Track)))) { path in
            let audio = try #require(try MediaProbe.probe(path).audio)
            #expect(audio.codec == "mp3")
            #expect(audio.sampleRate == mp3Rate)
            #expect(abs((audio.duration ?? 0) - 4) < 0.2)
            let report = try VideoVerifier.verify(path, against: VerificationRequest(audioExpected: true, deep: true))
            #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        }
        #expect(frames.count > 100)
        // Ogg (and M4A, AAC) are transcoded to MP3 by LTXMedia's preflight and carried as MP3 frames.
        let ogg = try #require(InputAudioTrack(try Harness.fixture("tone-1s.ogg")))
        guard case .mp3(let oggFrames, let perFrame, _, let oggRate)? = ogg.audio() else {
            Issue.record("Ogg was not carried as MP3")
            return
        }
        #expect(abs(Double(oggFrames.count * perFrame) / Double(oggRate) - 1) < 0.15)
        #expect(InputAudioTrack(Array("not audio".utf8)) == nil)
    }
}
