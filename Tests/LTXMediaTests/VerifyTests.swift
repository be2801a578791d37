import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

/// The request a 6 s, 25 fps, 320x180 generation with audio implies.
private func request(deep: Bool = false, fps: Rational = Rational(25, 1), duration: Double = 6,
                     width: Int = 320, height: Int = 180, audio: Bool = true) -> VerificationRequest {
    VerificationRequest(fps: fps, duration: duration, width: width, height: height, audioExpected: audio, deep: deep)
}

/// Names of the checks that failed.
private func failedNames(_ report: VerificationReport) -> [String] { report.failures.map(\.name) }

/// The check called `name`, required to be in the report.
private func check(_ report: VerificationReport, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> VerificationCheck {
    try #require(report.checks.first { $0.name == name }, "no \(name) check in \(report.checks.map(\.name))", sourceLocation: sourceLocation)
}

/// Top-level MP4 boxes: (type, offset, size).
private func mp4Boxes(_ bytes: [UInt8]) -> [(type: String, offset: Int, size: Int)] {
    var boxes: [(String, Int, Int)] = []
    var offset = 0
    while offset + 8 <= bytes.count {
        let size = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        boxes.append((String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self), offset, size))
        guard size >= 8 else { break }
        offset += size
    }
    return boxes
}

/// The index (in decode order) of the video packet that holds byte `offset`, from the container index.
private func videoPacket(containing offset: Int, in path: String) throws -> Int? {
    let input = try InputContext(path: path)
    let video = try #require(input.firstVideoStream)
    let stream = input.stream(video)
    for e in 0..<avformat_index_get_entries_count(stream) {
        guard let entry = avformat_index_get_entry(stream, e) else { continue }
        let start = Int(entry.pointee.pos)
        if offset >= start && offset < start + Int(entry.pointee.size) { return Int(e) }
    }
    return nil
}

@Suite("VideoVerifier")
struct VerifyTests {
    @Test("a good 6 s / 25 fps / 145-frame 320x180 file with audio passes every check", arguments: [false, true])
    func goodFilePasses(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 145)
            let report = try VideoVerifier.verify(path, against: request(deep: deep))
            #expect(report.passed, "failed: \(report.failures)")
            #expect(report.mode == (deep ? "deep" : "quick"))
            var expected = ["container", "video_codec", "index_within_file", "fps", "frame_count_8n+1", "duration", "resolution", "audio"]
            if deep { expected += ["decode", "audio_decode"] }
            #expect(report.checks.map(\.name) == expected)
            #expect(report.checks.allSatisfy { $0.passed })
            #expect(report.firstBadFrame == nil)
            #expect(report.measured.frames == 145)
            #expect(report.measured.fps == Rational(25, 1))
            #expect(report.measured.width == 320 && report.measured.height == 180)
            #expect(report.measured.videoCodec == "h264")
            #expect(report.measured.audioCodec == "aac")
            #expect(abs((report.measured.duration ?? 0) - 5.8) < 1e-9)
            #expect(report.measured.size == (try Support.size(path)))
            if deep {
                #expect(try check(report, "decode").actual == "145 frames decoded")
            }
        }
    }

    @Test("the committed MP4 fixture passes deep verification")
    func fixturePasses() throws {
        let report = try VideoVerifier.verify(Support.fixture("media/clip-320x180-25fps-145f.mp4"), against: request(deep: true))
        #expect(report.passed, "failed: \(report.failures)")
        #expect(report.measured.frames == 145)
    }

    @Test("153 frames at 25 fps (nearest-8n+1 rounding) also passes for 6 s")
    func nearestRoundingPasses() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 153, audio: false)
            let report = try VideoVerifier.verify(path, against: request(audio: false))
            #expect(report.passed, "failed: \(report.failures)")
            #expect(report.measured.frames == 153)
            #expect(try check(report, "duration").actual.hasPrefix("6.12 s"))
        }
    }

    @Test("150 frames fails only frame_count_8n+1")
    func notEightNPlusOne() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 150, audio: false)
            let report = try VideoVerifier.verify(path, against: request(audio: false))
            #expect(!report.passed)
            #expect(failedNames(report) == ["frame_count_8n+1"])
            let frames = try check(report, "frame_count_8n+1")
            #expect(frames.expected == "N mod 8 = 1")
            #expect(frames.actual == "150 (mod 8 = 6)")
        }
    }

    @Test("a 24 fps file fails fps when 25 was requested")
    func wrongRate() throws {
        try Support.withTemporaryDirectory { dir in
            let frames = TestPattern.lightricksFrameCount(duration: 5, fps: Rational(24, 1))
            let path = try Support.makeVideo(in: dir, fps: Rational(24, 1), frames: frames, audio: false)
            let report = try VideoVerifier.verify(path, against: request(duration: 5, audio: false))
            #expect(failedNames(report) == ["fps"])
            let fps = try check(report, "fps")
            #expect(fps.expected == "25/1")
            #expect(fps.actual == "24/1")
            #expect(try VideoVerifier.verify(path, against: request(fps: Rational(24, 1), duration: 5, audio: false)).passed)
        }
    }

    @Test("fps is compared as an exact rational: 30000/1001 is not 30")
    func exactRational() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, fps: Rational(30000, 1001), frames: 9, audio: false)
            let exact = VerificationRequest(fps: Rational(30000, 1001))
            #expect(try VideoVerifier.verify(path, against: exact).passed)
            let rounded = try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(30, 1)))
            #expect(failedNames(rounded) == ["fps"])
            #expect(try check(rounded, "fps").actual == "30000/1001")
        }
    }

    @Test("a wrong size fails resolution")
    func wrongSize() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, width: 256, height: 144, frames: 9, audio: false)
            let report = try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(25, 1), width: 320, height: 180))
            #expect(failedNames(report) == ["resolution"])
            let resolution = try check(report, "resolution")
            #expect(resolution.expected == "320x180")
            #expect(resolution.actual == "256x144")
        }
    }

    @Test("a file without audio fails audio when audio is expected, and passes when it is not")
    func missingAudio() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 145, audio: false)
            let report = try VideoVerifier.verify(path, against: request(audio: true))
            #expect(failedNames(report) == ["audio"])
            #expect(try check(report, "audio").actual == "no audio stream")
            #expect(report.measured.audioCodec == nil)
            #expect(try VideoVerifier.verify(path, against: request(audio: false)).passed)
        }
    }

    @Test("the duration check honours the tolerance")
    func durationTolerance() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 121, audio: false)  // 4.84 s at 25 fps
            let strict = VerificationRequest(fps: Rational(25, 1), duration: 6)
            let report = try VideoVerifier.verify(path, against: strict)
            #expect(failedNames(report) == ["duration"])
            var loose = strict
            loose.durationTolerance = 1.2
            #expect(try VideoVerifier.verify(path, against: loose).passed)
        }
    }

    @Test("a truncated faststart MP4 still opens, and quick mode reports index_within_file failed")
    func truncatedFileFailsIndexCheck() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 145)
            let bytes = try Support.bytes(path)
            let boxes = mp4Boxes(bytes)
            let moov = try #require(boxes.firstIndex { $0.type == "moov" })
            let mdat = try #require(boxes.firstIndex { $0.type == "mdat" })
            #expect(moov < mdat, "the writer must put the index first (faststart)")
            let truncated = Support.path(dir, "truncated.mp4")
            let keep = bytes.count * 7 / 10
            try Support.write(Array(bytes[0..<keep]), to: truncated)

            let quick = try VideoVerifier.verify(truncated, against: request())
            #expect(!quick.passed)
            #expect(failedNames(quick) == ["index_within_file"])
            let index = try check(quick, "index_within_file")
            #expect(index.expected == "packets end by byte \(keep)")
            #expect(index.actual.hasPrefix("last packet ends at byte "))
            let claimedEnd = try #require(Int(index.actual.split(separator: " ").last ?? ""))
            #expect(claimedEnd > keep && claimedEnd <= bytes.count)

            let deep = try VideoVerifier.verify(truncated, against: request(deep: true))
            #expect(!deep.passed)
            #expect(failedNames(deep).contains("decode"))
        }
    }

    /// Where a file is cut relative to its header (ftyp, then moov with the index). A moov missing only
    /// its tail (user data) still opens: that is the truncated-file case above, a failed check.
    enum HeaderCut: String, CaseIterable, CustomTestStringConvertible {
        case ftypOnly, moovBoxHeaderOnly, ftypAndMoovStart, halfOfMoov
        var testDescription: String { rawValue }

        func keep(ftypSize: Int, moovOffset: Int, moovSize: Int) -> Int {
            switch self {
            case .ftypOnly: return ftypSize
            case .moovBoxHeaderOnly: return moovOffset + 8
            case .ftypAndMoovStart: return moovOffset + 32
            case .halfOfMoov: return moovOffset + moovSize / 2
            }
        }
    }

    @Test("a file cut so short that its header is gone throws MediaError", arguments: HeaderCut.allCases)
    func headerGoneThrows(cut: HeaderCut) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 145)
            let bytes = try Support.bytes(path)
            let boxes = mp4Boxes(bytes)
            let ftyp = try #require(boxes.first { $0.type == "ftyp" })
            let moov = try #require(boxes.first { $0.type == "moov" })
            let keep = cut.keep(ftypSize: ftyp.size, moovOffset: moov.offset, moovSize: moov.size)
            let short = Support.path(dir, "cut.mp4")
            try Support.write(Array(bytes[0..<keep]), to: short)
            let error = try #require(throws: MediaError.self) { try VideoVerifier.verify(short, against: request()) }
            #expect([.notMedia, .noVideo, .damaged].contains(error.kind))
            #expect(error.path == short)
            #expect(error.description.contains(short))
        }
    }

    @Test("files that are not video at all throw instead of passing")
    func notVideoThrows() throws {
        let missing = try #require(throws: MediaError.self) {
            try VideoVerifier.verify("/nonexistent/clip.mp4", against: VerificationRequest())
        }
        #expect(missing.kind == .notFound)
        // A text file named .png reaches FFmpeg's image2 demuxer (chosen by name) with a 0x0 "picture":
        // it must not pass as a 1-frame video.
        let text = try #require(throws: MediaError.self) {
            try VideoVerifier.verify(Support.fixture("damaged/text-renamed.png"), against: VerificationRequest())
        }
        #expect(text.kind == .notMedia)
        let audio = try #require(throws: MediaError.self) {
            try VideoVerifier.verify(Support.fixture("media/voice-3s.wav"), against: VerificationRequest())
        }
        #expect(audio.kind == .noVideo)
    }

    @Test("deep mode finds bytes overwritten in the middle of the video data", arguments: [0.3, 0.5, 0.7])
    func deepFindsCorruption(fraction: Double) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 145, audio: false)
            var bytes = try Support.bytes(path)
            let mdat = try #require(mp4Boxes(bytes).first { $0.type == "mdat" })
            let start = mdat.offset + 8 + Int(Double(mdat.size - 8) * fraction)
            // 64 bytes of noise: with err_recognition=explode H.264 refuses even 16 (measured), so
            // this is not a case of the decoder concealing the damage silently.
            for i in start..<start + 64 { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919) }
            let damaged = Support.path(dir, "damaged.mp4")
            try Support.write(bytes, to: damaged)
            let packet = try #require(try videoPacket(containing: start, in: damaged))

            let quick = try VideoVerifier.verify(damaged, against: request(audio: false))
            #expect(quick.passed, "quick mode reads only the index, which is intact")

            let deep = try VideoVerifier.verify(damaged, against: request(deep: true, audio: false))
            #expect(!deep.passed)
            #expect(failedNames(deep) == ["decode"])
            let bad = try #require(deep.firstBadFrame)
            #expect(bad == packet, "the damaged bytes are in video packet \(packet)")
            let decode = try check(deep, "decode")
            #expect(decode.expected == "145 frames decode")
            #expect(decode.actual.hasPrefix("frame \(bad) failed"))
        }
    }

    @Test("Matroska has no frame count in its header: verify counts packets and passes")
    func matroska() throws {
        let report = try VideoVerifier.verify(
            Support.fixture("media/clip-320x180-25fps-9f.mkv"),
            against: VerificationRequest(fps: Rational(25, 1), width: 320, height: 180, deep: true)
        )
        #expect(report.passed, "failed: \(report.failures)")
        #expect(report.measured.frames == 9)
        #expect(report.checks.map(\.name).contains("packets_readable"))
        #expect(!report.checks.map(\.name).contains("index_within_file"))
    }

    @Test("the report's JSON has passed and every check's name, expected, actual and passed")
    func reportJSON() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try Support.makeVideo(in: dir, frames: 150, audio: false)
            let report = try VideoVerifier.verify(path, against: request())
            let data = try JSONEncoder().encode(report)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["passed"] as? Bool == false)
            #expect(object["path"] as? String == path)
            #expect(object["mode"] as? String == "quick")
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.count == report.checks.count)
            for (json, check) in zip(checks, report.checks) {
                #expect(json["name"] as? String == check.name)
                #expect(json["expected"] as? String == check.expected)
                #expect(json["actual"] as? String == check.actual)
                #expect(json["passed"] as? Bool == check.passed)
            }
            let failing = checks.filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
            #expect(failing == ["frame_count_8n+1", "audio"])
            let measured = try #require(object["measured"] as? [String: Any])
            #expect(measured["frames"] as? Int == 150)
            #expect(measured["fps"] as? String == "25/1")
            #expect(try JSONDecoder().decode(VerificationReport.self, from: data) == report)
        }
    }

    @Test("lightricksFrameCount: N = 8·⌊D·F/8⌋ + 1, at least 9", arguments: [
        (6.0, Rational(25, 1), 145), (5.0, Rational(24, 1), 121), (10.0, Rational(50, 1), 497),
        (0.1, Rational(25, 1), 9), (0.0, Rational(25, 1), 9),
    ])
    func lightricksFrameCount(duration: Double, fps: Rational, expected: Int) {
        #expect(TestPattern.lightricksFrameCount(duration: duration, fps: fps) == expected)
    }

    @Test("the test-pattern writer refuses odd sizes and empty clips without writing anything")
    func writerRefusesBadPatterns() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "x.mp4")
            let odd = try #require(throws: MediaError.self) {
                try TestPatternWriter.write(TestPattern(width: 321, height: 180, fps: Rational(25, 1), frameCount: 9), to: path)
            }
            #expect(odd.kind == .unsupportedFormat)
            #expect(throws: MediaError.self) {
                try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 0), to: path)
            }
            #expect(try Support.listing(dir).isEmpty)
        }
    }
}
