import Testing
@testable import LTXMedia

/// `VideoVerifier.judge` without any media: measured facts in, checks out.
@Suite("Verification judgement")
struct VerificationJudgeTests {
    /// A 320x180 25/1 H.264 + AAC clip of 145 frames whose index ends inside its 100,000 bytes.
    static let clip = VideoMeasurement(
        path: "clip.mp4", size: 100_000, container: "mov,mp4,m4a,3gp,3g2,mj2", videoCodec: "h264",
        width: 320, height: 180, fps: Rational(25, 1), frames: 145, integrity: .index(entries: 200, lastByte: 99_000),
        hasAudio: true, audioCodec: "aac"
    )

    private func check(_ report: VerificationReport, _ name: String) throws -> VerificationCheck {
        try #require(report.checks.first { $0.name == name }, "no \(name) check in \(report.checks.map(\.name))")
    }

    @Test("a clip that is what was asked passes every check, in the documented order")
    func allPass() {
        let request = VerificationRequest(fps: Rational(25, 1), duration: 5.8, width: 320, height: 180, audioExpected: true)
        let report = VideoVerifier.judge(Self.clip, against: request)
        #expect(report.passed, "\(report.failures)")
        #expect(report.checks.map(\.name) == ["container", "video_codec", "index_within_file", "fps", "frame_count_8n+1", "duration", "resolution", "audio"])
        #expect(report.mode == "quick")
        #expect(report.measured.frames == 145)
        #expect(report.measured.duration == 5.8)
        #expect(report.measured.audioCodec == "aac")
        #expect(report.firstBadFrame == nil)
    }

    @Test("8n+1: 145 and 9 pass, 144 and 146 fail with the remainder shown", arguments: [(145, true), (9, true), (1, true), (144, false), (146, false), (0, false)])
    func eightNPlusOne(frames: Int, passes: Bool) throws {
        var m = Self.clip
        m.frames = frames
        let result = try check(VideoVerifier.judge(m, against: VerificationRequest()), "frame_count_8n+1")
        #expect(result.passed == passes)
        #expect(result.actual == "\(frames) (mod 8 = \(frames % 8))")
    }

    @Test("fps is compared as an exact rational: 30000/1001 is not 30, 50/2 is 25")
    func fpsRational() throws {
        var m = Self.clip
        m.fps = Rational(30000, 1001)
        let ntsc = try check(VideoVerifier.judge(m, against: VerificationRequest(fps: Rational(30, 1))), "fps")
        #expect(!ntsc.passed)
        #expect(ntsc.expected == "30/1" && ntsc.actual == "30000/1001")
        m.fps = Rational(50, 2)
        #expect(try check(VideoVerifier.judge(m, against: VerificationRequest(fps: Rational(25, 1))), "fps").passed)
        m.fps = nil
        let unknown = try check(VideoVerifier.judge(m, against: VerificationRequest(fps: Rational(25, 1))), "fps")
        #expect(!unknown.passed && unknown.actual == "unknown")
    }

    @Test("duration tolerance: |N/F − D| equal to the tolerance passes, a millisecond more fails", arguments: [
        (1.625, 0.5, true), (0.625, 0.5, true), (1.626, 0.5, false), (0.624, 0.5, false), (1.125, 0, true), (1.25, 0, false),
    ])
    func toleranceEdges(duration: Double, tolerance: Double, passes: Bool) throws {
        // 9 frames at 8/1 fps last exactly 1.125 s (every value here is exact in binary).
        var m = Self.clip
        m.fps = Rational(8, 1)
        m.frames = 9
        let result = try check(VideoVerifier.judge(m, against: VerificationRequest(duration: duration, durationTolerance: tolerance)), "duration")
        #expect(result.passed == passes, "\(result)")
        #expect(result.actual == "1.125 s (9 frames at 8/1)")
    }

    @Test("without a rate in the file the requested fps measures the duration; with neither it fails as unknown")
    func durationRate() throws {
        var m = Self.clip
        m.fps = nil
        let fromRequest = try check(VideoVerifier.judge(m, against: VerificationRequest(fps: Rational(25, 1), duration: 5.8)), "duration")
        #expect(fromRequest.passed)
        let neither = try check(VideoVerifier.judge(m, against: VerificationRequest(duration: 5.8)), "duration")
        #expect(!neither.passed && neither.actual == "unknown (no frame rate)")
    }

    @Test("resolution: both sides, one side, or a mismatch")
    func resolution() throws {
        let mismatch = try check(VideoVerifier.judge(Self.clip, against: VerificationRequest(width: 1920, height: 1080)), "resolution")
        #expect(!mismatch.passed && mismatch.expected == "1920x1080" && mismatch.actual == "320x180")
        let widthOnly = try check(VideoVerifier.judge(Self.clip, against: VerificationRequest(width: 320)), "resolution")
        #expect(widthOnly.passed && widthOnly.expected == "320x*")
        #expect(!VideoVerifier.judge(Self.clip, against: VerificationRequest()).checks.contains { $0.name == "resolution" })
    }

    @Test("audio: promised and missing fails, promised and present passes, not promised is not checked")
    func audio() throws {
        var silent = Self.clip
        silent.hasAudio = false
        silent.audioCodec = nil
        let missing = try check(VideoVerifier.judge(silent, against: VerificationRequest(audioExpected: true)), "audio")
        #expect(!missing.passed && missing.actual == "no audio stream")
        #expect(try check(VideoVerifier.judge(Self.clip, against: VerificationRequest(audioExpected: true)), "audio").actual == "aac stream")
        #expect(!VideoVerifier.judge(silent, against: VerificationRequest()).checks.contains { $0.name == "audio" })
    }

    @Test("integrity: an index past the end of the file, no index at all, or packets that stop reading fail")
    func integrity() throws {
        var m = Self.clip
        m.integrity = .index(entries: 200, lastByte: 100_001)
        let truncated = try check(VideoVerifier.judge(m, against: VerificationRequest()), "index_within_file")
        #expect(!truncated.passed && truncated.actual == "last packet ends at byte 100001" && truncated.expected == "packets end by byte 100000")
        m.integrity = .index(entries: 200, lastByte: 100_000)
        #expect(try check(VideoVerifier.judge(m, against: VerificationRequest()), "index_within_file").passed)
        m.integrity = .index(entries: 0, lastByte: 0)
        #expect(try check(VideoVerifier.judge(m, against: VerificationRequest()), "index_within_file").actual == "no index entries")
        m.integrity = .packets(readError: "Invalid data found when processing input")
        m.frames = 57
        let stopped = try check(VideoVerifier.judge(m, against: VerificationRequest()), "packets_readable")
        #expect(!stopped.passed && stopped.actual == "read stopped after 57 frames: Invalid data found when processing input")
        m.integrity = .packets(readError: nil)
        #expect(try check(VideoVerifier.judge(m, against: VerificationRequest()), "packets_readable").passed)
    }

    @Test("deep: the first bad frame is named; fewer frames than counted fail; a deep request without a decode fails")
    func deep() throws {
        var m = Self.clip
        m.decoding = VideoMeasurement.Decoding(decodedFrames: 72, firstBadFrame: 72, error: "Invalid data", decodedAudioFrames: 300)
        let broken = VideoVerifier.judge(m, against: VerificationRequest(deep: true))
        #expect(broken.mode == "deep")
        #expect(broken.firstBadFrame == 72)
        let decode = try check(broken, "decode")
        #expect(!decode.passed && decode.actual == "frame 72 failed: Invalid data" && decode.expected == "145 frames decode")
        #expect(try check(broken, "audio_decode").passed)
        m.decoding = VideoMeasurement.Decoding(decodedFrames: 144, audioError: "bad AAC")
        let short = VideoVerifier.judge(m, against: VerificationRequest(deep: true))
        #expect(try !check(short, "decode").passed)
        #expect(try check(short, "audio_decode").actual == "failed: bad AAC")
        m.decoding = nil
        #expect(try check(VideoVerifier.judge(m, against: VerificationRequest(deep: true)), "decode").actual == "not decoded")
        m.decoding = VideoMeasurement.Decoding(decodedFrames: 145)
        #expect(VideoVerifier.judge(m, against: VerificationRequest(deep: true)).passed)
    }

    @Test("an undecodable codec fails video_codec")
    func codec() throws {
        var m = Self.clip
        m.videoDecodable = false
        m.videoCodec = "unknown"
        #expect(try !check(VideoVerifier.judge(m, against: VerificationRequest()), "video_codec").passed)
    }

    @Test("verify is measure then judge: the same report for a real file")
    func composition() throws {
        let path = Support.fixture("media/clip-320x180-25fps-145f.mp4")
        let request = VerificationRequest(fps: Rational(25, 1), duration: 5.8, width: 320, height: 180, audioExpected: true)
        let measured = try VideoVerifier.measure(path)
        #expect(measured.frames == 145 && measured.fps == Rational(25, 1) && measured.audioCodec == "aac")
        #expect(VideoVerifier.judge(measured, against: request) == (try VideoVerifier.verify(path, against: request)))
    }
}
