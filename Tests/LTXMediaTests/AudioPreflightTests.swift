import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

/// Runs AudioPreflight and checks that the input's bytes and modification time are unchanged afterwards,
/// whether it succeeded or threw.
private func preflight(
    _ input: String, target: AudioTarget, outputDirectory: String?, sourceLocation: SourceLocation = #_sourceLocation
) throws -> PreflightReport {
    let before = try? FileSnapshot(input)
    defer {
        #expect((try? FileSnapshot(input)) == before, "the input \(input) was modified", sourceLocation: sourceLocation)
    }
    return try AudioPreflight.run(input, target: target, outputDirectory: outputDirectory)
}

/// The actions of a report, by kind.
private func kinds(_ report: PreflightReport) -> [PreflightAction.Kind] { report.actions.map(\.action) }

/// What decoding a whole file yields: samples per channel and the RMS level of the first two channels.
private struct Decoded {
    var samples = 0
    var rate = 0
    var rms: [Double] = []
}

/// Decodes every sample of `path` (planar float output, as FFmpeg's MP3 decoder gives).
private func decodeAll(_ path: String) throws -> Decoded {
    let source = try AudioSource(path: path)
    var result = Decoded()
    result.rate = Int(source.decoder.pointer.pointee.sample_rate)
    var sums = [0.0, 0.0]
    var planar = true
    try source.decode { (frame: Frame) throws(MediaError) -> Bool in
        let f = frame.pointer.pointee
        let n = Int(f.nb_samples)
        guard AVSampleFormat(rawValue: f.format) == AV_SAMPLE_FMT_FLTP, f.ch_layout.nb_channels >= 2 else {
            planar = false
            return false
        }
        for channel in 0..<2 {
            guard let plane = f.extended_data[channel] else { continue }
            plane.withMemoryRebound(to: Float.self, capacity: n) { samples in
                for i in 0..<n { sums[channel] += Double(samples[i]) * Double(samples[i]) }
            }
        }
        result.samples += n
        return true
    }
    try #require(planar, "expected stereo planar float from the decoder")
    result.rms = sums.map { (result.samples > 0 ? $0 / Double(result.samples) : 0).squareRoot() }
    return result
}

@Suite("AudioPreflight")
struct AudioPreflightTests {
    @Test("WAV, MP3 and Ogg Vorbis within the limits pass through untouched", arguments: [
        ("media/voice-3s.wav", "wav", "audio/wav"),
        ("media/tone-4s.mp3", "mp3", "audio/mpeg"),
        ("media/tone-1s.ogg", "ogg", "audio/ogg"),
    ])
    func passThrough(fixture: String, format: String, contentType: String) throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture(fixture)
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: dir)
            #expect(report.kind == "audio")
            #expect(report.passedThrough)
            #expect(!report.needsFix)
            #expect(report.detectedFormat == format)
            #expect(kinds(report) == [.passedThrough])
            #expect(report.output == input)
            #expect(report.outputSize == Int64(before.bytes.count))
            #expect(report.outputContentType == contentType)
            #expect(try Support.listing(dir).isEmpty)
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("the 12 s FLAC becomes a 48 kHz stereo MP3 of at most 6 s")
    func flacBecomesMP3() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/music-12s.flac")
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: dir)
            #expect(!report.passedThrough)
            #expect(kinds(report) == [.transcoded, .resampled, .trimmed])
            #expect(report.actions[0].reason.contains("flac"))
            #expect(report.actions[0].reason.contains("longer than the 6 s"))
            let output = try #require(report.output)
            #expect(output == Support.path(dir, "music-12s.mp3"))
            #expect(report.outputContentType == "audio/mpeg")
            #expect(report.outputSize == (try Support.size(output)))
            #expect(try Support.listing(dir) == ["music-12s.mp3"])

            let info = try MediaProbe.probe(output)
            #expect(info.container == "mp3")
            let audio = try #require(info.audio)
            #expect(audio.codec == "mp3")
            #expect(audio.sampleRate == 48_000)
            #expect(audio.channels == 2)
            let duration = try #require(info.duration)
            #expect(duration <= 6.0)
            #expect(duration > 5.5, "trimmed to the limit, not far below it")

            let decoded = try decodeAll(output)
            #expect(decoded.rate == 48_000)
            #expect(decoded.samples <= 6 * 48_000)
            #expect(decoded.rms.allSatisfy { $0 > 0.05 }, "the tone survives: \(decoded.rms)")
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("a 5.1 24-bit 96 kHz WAV that needs a fix is mixed down to stereo 48 kHz, centre channel included")
    func surroundDownmix() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.path(dir, "surround.wav")
            try Support.write(WAVBuilder.surround51(seconds: 2, rate: 96_000), to: input)
            let before = try FileSnapshot(input)
            let out = Support.path(dir, "out")
            let report = try preflight(input, target: AudioTarget(maxDuration: 1), outputDirectory: out)
            #expect(report.inputDescription.contains("96000 Hz"))
            #expect(report.inputDescription.contains("5.1"))
            #expect(kinds(report) == [.transcoded, .downmixed, .resampled, .trimmed])
            let output = try #require(report.output)
            let audio = try #require(try MediaProbe.probe(output).audio)
            #expect(audio.codec == "mp3")
            #expect(audio.sampleRate == 48_000)
            #expect(audio.channels == 2)
            #expect(audio.channelLayout == "stereo")
            #expect((try MediaProbe.probe(output).duration ?? 99) <= 1.0)
            // The only sound is in the centre channel: both output channels must carry it.
            let decoded = try decodeAll(output)
            #expect(decoded.rms.count == 2)
            #expect(decoded.rms.allSatisfy { $0 > 0.05 }, "left/right RMS \(decoded.rms)")
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("a short 5.1 WAV within the limits is a WAV the API accepts: it passes through as it is")
    func surroundWithinLimitsPassesThrough() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.path(dir, "surround.wav")
            try Support.write(WAVBuilder.surround51(seconds: 1, rate: 96_000), to: input)
            let report = try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: dir)
            #expect(report.passedThrough)
            #expect(report.output == input)
            #expect(try Support.listing(dir) == ["surround.wav"])
        }
    }

    @Test("a WAV longer than maxDuration is trimmed")
    func longWAVTrimmed() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/voice-3s.wav")
            let report = try preflight(input, target: AudioTarget(maxDuration: 2), outputDirectory: dir)
            #expect(kinds(report) == [.transcoded, .downmixed, .resampled, .trimmed])
            #expect(report.actions[0].reason.contains("longer than the 2 s"))
            let output = try #require(report.output)
            let info = try MediaProbe.probe(output)
            #expect(info.audio?.channels == 2)
            #expect(info.audio?.sampleRate == 48_000)
            let duration = try #require(info.duration)
            #expect(duration <= 2.0 && duration > 1.5)
            #expect(try decodeAll(output).samples <= 2 * 48_000)
        }
    }

    @Test("a fix without an output folder is reported, not written")
    func needsFixWithoutOutput() throws {
        try Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/music-12s.flac", into: dir)
            let report = try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: nil)
            #expect(report.needsFix)
            #expect(report.output == nil)
            #expect(kinds(report).contains(.trimmed))
            #expect(try Support.listing(dir) == ["music-12s.flac"])
        }
    }

    @Test("output beside the input never overwrites it: STEM.preflight.mp3")
    func neverOverwritesInput() throws {
        try Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/tone-4s.mp3", into: dir)
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: AudioTarget(maxDuration: 2), outputDirectory: dir)
            #expect(report.output == Support.path(dir, "tone-4s.preflight.mp3"))
            #expect(try FileSnapshot(input) == before)
            #expect(try Support.listing(dir) == ["tone-4s.mp3", "tone-4s.preflight.mp3"])
            #expect((try MediaProbe.probe(try #require(report.output)).duration ?? 99) <= 2.0)
        }
    }

    @Test("audio shorter than minDuration is refused as too short")
    func tooShort() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/voice-3s.wav")
            let error = try #require(throws: MediaError.self) {
                try preflight(input, target: AudioTarget(maxDuration: 10, minDuration: 5), outputDirectory: dir)
            }
            #expect(error.kind == .tooShort)
            #expect(error.path == input)
            #expect(error.reason.contains("3.00 s"))
            #expect(try Support.listing(dir).isEmpty)
        }
    }

    @Test("a corrupt MP3 is damaged: refused, not repaired")
    func corruptMP3() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("damaged/corrupt.mp3")
            let before = try FileSnapshot(input)
            let error = try #require(throws: MediaError.self) {
                try preflight(input, target: AudioTarget(maxDuration: 2), outputDirectory: dir)
            }
            #expect(error.kind == .damaged)
            #expect(error.description.hasPrefix(input + ": "))
            #expect(try Support.listing(dir).isEmpty)
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("a WAV with an unknown format tag is a MediaError, not a crash")
    func unknownFormatTag() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.path(dir, "odd.wav")
            try Support.write(WAVBuilder.mono16(seconds: 0.5, rate: 8_000, tag: 0x9999), to: input)
            let before = try FileSnapshot(input)
            let error = try #require(throws: MediaError.self) {
                try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: dir)
            }
            #expect(error.kind == .unsupportedCodec)
            #expect(error.path == input)
            #expect(try Support.listing(dir) == ["odd.wav"])
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("the same WAV with tag 1 (PCM) is fine: the tag alone made the difference")
    func knownFormatTag() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.path(dir, "plain.wav")
            try Support.write(WAVBuilder.mono16(seconds: 0.5, rate: 8_000, tag: 1), to: input)
            let report = try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: nil)
            #expect(report.passedThrough)
            #expect(report.inputDescription.contains("0.50 s"))
        }
    }

    @Test("empty, missing and non-audio files are refused with the right kind", arguments: [
        ("damaged/empty.png", MediaError.Kind.empty),
        ("damaged/text-renamed.png", MediaError.Kind.noAudio),
        ("media/missing.wav", MediaError.Kind.notFound),
        ("media/quadrants-4x3.jpg", MediaError.Kind.noAudio),
    ])
    func refusesNonAudio(fixture: String, kind: MediaError.Kind) throws {
        let input = Support.fixture(fixture)
        let error = try #require(throws: MediaError.self) {
            try preflight(input, target: AudioTarget(maxDuration: 6), outputDirectory: nil)
        }
        #expect(error.kind == kind)
        #expect(error.description.contains(input))
    }

    @Test("trimming leaves room for the codec delay and the MP3 header frame")
    func safeSampleCount() {
        let samples = AudioPreflight.safeSampleCount(maxDuration: 6)
        #expect(samples < 6 * 48_000)
        // Samples plus delay fill whole frames, plus one Xing/Info header frame, within 6 s.
        #expect((samples + AudioPreflight.mp3Delay) % AudioPreflight.mp3FrameSamples == 0)
        #expect(samples + AudioPreflight.mp3Delay + AudioPreflight.mp3FrameSamples <= 6 * 48_000)
        #expect(AudioPreflight.safeSampleCount(maxDuration: 0) == AudioPreflight.mp3FrameSamples)
    }
}
