import Foundation
import Testing
@testable import LTXMedia

/// The content checks on made media: each broken video caught, each normal one passing, in deep mode
/// (every frame) and sampled mode (frames from keyframes).
@Suite("Content checks")
struct ContentCheckTests {
    static let modes = [true, false]

    private func video(_ dir: String, _ name: String, frames: Int = 25, picture: TestPattern.Picture = .moving,
                       sound: TestPattern.Sound = .tone, audio: Bool = true) throws -> String {
        let path = Support.path(dir, name)
        try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: frames, audio: audio,
                                                picture: picture, sound: sound), to: path)
        return path
    }

    private func verify(_ path: String, deep: Bool, audio: Bool = false, content: ContentExpectation = ContentExpectation()) throws -> VerificationReport {
        try VideoVerifier.verify(path, against: VerificationRequest(fps: Rational(25, 1), audioExpected: audio, deep: deep, content: content))
    }

    private func check(_ report: VerificationReport, _ name: String) throws -> VerificationCheck {
        try #require(report.checks.first { $0.name == name }, "no \(name) check in \(report.checks.map(\.name))")
    }

    @Test("a normal moving video with a tone passes every check, deep and sampled", arguments: modes)
    func normalPasses(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "normal.mp4")
            let report = try verify(path, deep: deep, audio: true)
            #expect(report.passed, "\(report.failures)")
            #expect(report.mode == (deep ? "deep" : "sampled"))
            #expect(report.checks.map(\.name).suffix(3) == ["black_frames", "frozen_frames", "sound"])
            let content = try #require(report.measured.content)
            #expect(content.framesAnalyzed == (deep ? 25 : 1))
            #expect(content.blackFrames == 0)
            #expect(content.identicalPairs == 0)
            #expect(content.pairsCompared == (deep ? 24 : 1))
            let level = try #require(content.audioLevel)
            // A 0.2 sine in both channels, mixed to mono at +3 dB: about -14 dBFS.
            #expect(level > -16 && level < -12, "measured \(level)")
        }
    }

    @Test("a still scene (static camera, one small thing moving) is not frozen", arguments: modes)
    func stillScenePasses(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let report = try verify(try video(dir, "still.mp4", picture: .still), deep: deep)
            #expect(report.passed, "\(report.failures)")
            #expect(report.measured.content?.identicalPairs == 0)
        }
    }

    @Test("an all-black video fails black_frames", arguments: modes)
    func blackFails(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let report = try verify(try video(dir, "black.mp4", picture: .black), deep: deep)
            let black = try check(report, "black_frames")
            #expect(!black.passed)
            #expect(!report.passed)
            let analysed = deep ? 25 : 1
            #expect(black.actual.hasPrefix("\(analysed) of \(analysed) (100 %)"), "\(black.actual)")
            #expect(report.measured.content?.blackFrames == analysed)
        }
    }

    @Test("a video fading in from black is not black: sampled mode follows the first run until the picture shows", arguments: modes)
    func fadeInPasses(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let report = try verify(try video(dir, "fade.mp4", frames: 41, picture: .fadeIn), deep: deep)
            #expect(report.passed, "\(report.failures)")
            #expect(try check(report, "black_frames").passed)
        }
    }

    @Test("a frozen video (one picture repeated) fails frozen_frames", arguments: modes)
    func frozenFails(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let report = try verify(try video(dir, "frozen.mp4", picture: .frozen), deep: deep)
            let frozen = try check(report, "frozen_frames")
            #expect(!frozen.passed, "\(frozen.actual)")
            #expect(try check(report, "black_frames").passed)
            // x264 keeps refining a still picture for a few frames, so not every pair of an encoded
            // frozen video is an exact repeat; most are.
            let content = try #require(report.measured.content)
            #expect(content.pairsCompared == (deep ? 24 : 1))
            #expect(Double(content.identicalPairs) / Double(content.pairsCompared) > 0.5, "\(frozen.actual)")
        }
    }

    @Test("the first frame matches its start image; another picture fails start_image", arguments: modes)
    func startImage(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "i2v.mp4")
            let start = Support.path(dir, "start.jpg")
            try TestPatternWriter.writeStill(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 25), frame: 0, to: start)
            let good = try verify(path, deep: deep, content: ContentExpectation(startImage: start))
            #expect(good.passed, "\(good.failures)")
            let similarity = try #require(good.measured.content?.startImageSimilarity)
            #expect(similarity > 0.8, "first frame vs its own start image: SSIM \(similarity)")

            let other = try Support.copyFixture("media/landscape-16x9.jpg", into: dir)
            let bad = try verify(path, deep: deep, content: ContentExpectation(startImage: other))
            let result = try check(bad, "start_image")
            #expect(!result.passed, "\(result.actual)")
            #expect(!bad.passed)
        }
    }

    @Test("the last frame is compared with last_frame: its own last picture passes, the first picture fails", arguments: modes)
    func lastFrame(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let pattern = TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 73)
            let path = try video(dir, "kf.mp4", frames: 73)
            let last = Support.path(dir, "last.jpg"), first = Support.path(dir, "first.jpg")
            try TestPatternWriter.writeStill(pattern, frame: 72, to: last)
            try TestPatternWriter.writeStill(pattern, frame: 0, to: first)
            let good = try verify(path, deep: deep, content: ContentExpectation(lastFrame: last))
            #expect(try check(good, "last_frame").passed, "\(good.failures)")
            let bad = try verify(path, deep: deep, content: ContentExpectation(lastFrame: first))
            #expect(!(try check(bad, "last_frame").passed))
        }
    }

    @Test("a silent track where audio was promised fails sound; no sound check when none was promised", arguments: modes)
    func silentFails(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "silent.mp4", sound: .silent)
            let report = try verify(path, deep: deep, audio: true)
            let sound = try check(report, "sound")
            #expect(!sound.passed)
            #expect(sound.actual.contains("silent") || sound.actual.contains("dBFS"), "\(sound.actual)")
            #expect(try check(report, "audio").passed)
            let unpromised = try verify(path, deep: deep, audio: false)
            #expect(unpromised.checks.first { $0.name == "sound" } == nil)
            #expect(unpromised.passed, "\(unpromised.failures)")
        }
    }

    @Test("audio-to-video: the input soundtrack matches; another soundtrack or length fails", arguments: modes)
    func soundtrack(deep: Bool) throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "a2v.mp4", frames: 73, sound: .bursts(seed: 1))
            let same = Support.path(dir, "same.wav"), other = Support.path(dir, "other.wav"), long = Support.path(dir, "long.wav")
            try TestPatternWriter.writeSoundtrack(.bursts(seed: 1), seconds: 73.0 / 25, to: same)
            try TestPatternWriter.writeSoundtrack(.bursts(seed: 2), seconds: 73.0 / 25, to: other)
            try TestPatternWriter.writeSoundtrack(.bursts(seed: 1), seconds: 5, to: long)

            let good = try verify(path, deep: deep, audio: true, content: ContentExpectation(soundtrack: same))
            #expect(good.passed, "\(good.failures)")
            let r = try #require(good.measured.content?.envelopeCorrelation)
            #expect(r > 0.8, "same soundtrack: correlation \(r)")

            let wrong = try verify(path, deep: deep, audio: true, content: ContentExpectation(soundtrack: other))
            let match = try check(wrong, "soundtrack_match")
            #expect(!match.passed, "\(match.actual)")
            #expect(try check(wrong, "soundtrack_length").passed)

            let longer = try verify(path, deep: deep, audio: true, content: ContentExpectation(soundtrack: long))
            #expect(!(try check(longer, "soundtrack_length").passed))
        }
    }

    @Test("a reference file that cannot be read is an error naming it, not a failed check")
    func missingReference() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "clip.mp4", frames: 9)
            let missing = Support.path(dir, "nope.jpg")
            do {
                _ = try verify(path, deep: false, content: ContentExpectation(startImage: missing))
                Issue.record("expected an error")
            } catch let error as MediaError {
                #expect(error.path == missing)
                #expect(error.kind == .notFound)
            }
        }
    }

    @Test("the checks ride on the deep decode: the decode check and the content checks see the same frames")
    func deepSharesDecode() throws {
        try Support.withTemporaryDirectory { dir in
            let path = try video(dir, "clip.mp4", frames: 33, audio: false)
            let report = try verify(path, deep: true)
            #expect(try check(report, "decode").actual == "33 frames decoded")
            #expect(report.measured.content?.framesAnalyzed == 33)
            #expect(report.checks.first { $0.name == "sound" } == nil)
        }
    }
}

/// The content judgement without media: thresholds applied to measured levels.
@Suite("Content judgement")
struct ContentJudgeTests {
    static let base = VideoMeasurement(
        path: "v.mp4", size: 1000, container: "mov,mp4,m4a,3gp,3g2,mj2", videoCodec: "h264", width: 320, height: 180,
        fps: Rational(25, 1), frames: 9, integrity: .index(entries: 9, lastByte: 900), hasAudio: true, audioCodec: "aac"
    )

    private func judge(_ content: ContentMeasurement?, _ thresholds: ContentThresholds = ContentThresholds(), audio: Bool = false) -> VerificationReport {
        var m = Self.base
        m.content = content
        return VideoVerifier.judge(m, against: VerificationRequest(audioExpected: audio, content: ContentExpectation(thresholds: thresholds)))
    }

    private func levels(black: Int, of total: Int) -> [ContentMeasurement.FrameLevel] {
        (0..<total).map { $0 < black ? .init(mean: 0, spread: 0) : .init(mean: 110, spread: 50) }
    }

    @Test("black share at the limit passes, one frame more fails; a dark frame with texture counts by its mean")
    func blackShare() {
        let atLimit = judge(ContentMeasurement(sampled: false, frames: levels(black: 4, of: 8), pairs: 7, identicalPairs: 0))
        #expect(atLimit.checks.first { $0.name == "black_frames" }?.passed == true)
        let over = judge(ContentMeasurement(sampled: false, frames: levels(black: 5, of: 8), pairs: 7, identicalPairs: 0))
        #expect(over.checks.first { $0.name == "black_frames" }?.passed == false)
        #expect(over.measured.content?.blackFrames == 5)
        var strict = ContentThresholds()
        strict.black.maxShare = 0
        let flatGrey = [ContentMeasurement.FrameLevel(mean: 128, spread: 2.5)] + levels(black: 0, of: 3)
        #expect(judge(ContentMeasurement(sampled: false, frames: flatGrey, pairs: 3, identicalPairs: 0), strict).passed == false)
    }

    @Test("frozen share above the limit fails; no pair at all fails")
    func frozenShare() {
        let r = judge(ContentMeasurement(sampled: false, frames: levels(black: 0, of: 9), pairs: 8, identicalPairs: 5))
        #expect(r.checks.first { $0.name == "frozen_frames" }?.passed == false)
        let ok = judge(ContentMeasurement(sampled: false, frames: levels(black: 0, of: 9), pairs: 8, identicalPairs: 4))
        #expect(ok.passed, "\(ok.failures)")
        let none = judge(ContentMeasurement(sampled: true, frames: levels(black: 0, of: 1), pairs: 0, identicalPairs: 0))
        #expect(none.checks.first { $0.name == "frozen_frames" }?.passed == false)
    }

    @Test("sound: the level is compared with the floor; a silent track fails")
    func soundFloor() {
        func envelope(_ meanSquare: Double) -> LoudnessEnvelope {
            LoudnessEnvelope(windowSeconds: 0.05, meanSquares: [Float(meanSquare)], seconds: 1, meanSquare: meanSquare)
        }
        let frames = levels(black: 0, of: 9)
        let loud = judge(ContentMeasurement(sampled: false, frames: frames, pairs: 8, identicalPairs: 0, audio: envelope(1e-4)), audio: true)
        #expect(loud.passed, "\(loud.failures)")  // -40 dBFS
        let quiet = judge(ContentMeasurement(sampled: false, frames: frames, pairs: 8, identicalPairs: 0, audio: envelope(1e-7)), audio: true)
        #expect(quiet.checks.first { $0.name == "sound" }?.passed == false)  // -70 dBFS
        let silent = judge(ContentMeasurement(sampled: false, frames: frames, pairs: 8, identicalPairs: 0, audio: envelope(0)), audio: true)
        #expect(silent.checks.first { $0.name == "sound" }?.actual == "silent (every sample zero)")
    }

    @Test("content asked for but not measured fails rather than passing silently")
    func notMeasured() {
        let report = judge(nil)
        #expect(!report.passed)
        #expect(report.checks.last?.name == "content")
        #expect(report.mode == "sampled")
    }

    /// A video to sample on one thread and on two, and how the two-thread path must go (nil: either way).
    struct ThreadCase: Sendable, CustomTestStringConvertible {
        var picture: TestPattern.Picture
        var fps: Int
        var frames: Int
        var threads: ContentSampler.RunThreads?
        var testDescription: String { "\(picture) \(frames) frames at \(fps) fps" }
    }

    static let threadCases = [
        // Keyframes every 50 frames: the runs from 50 and 100 go to the second thread.
        ThreadCase(picture: .moving, fps: 25, frames: 121, threads: .two),
        // A still scene keeps the first run going 50 frames; at 4 fps keyframes come every 8, so the first
        // thread takes frames where the second began and the later runs are decoded again after it.
        ThreadCase(picture: .still, fps: 4, frames: 81, threads: .twoThenOne),
        ThreadCase(picture: .still, fps: 25, frames: 121, threads: nil),
        ThreadCase(picture: .frozen, fps: 25, frames: 121, threads: nil),
        ThreadCase(picture: .black, fps: 4, frames: 81, threads: nil),
        ThreadCase(picture: .fadeIn, fps: 4, frames: 41, threads: nil),
    ]

    @Test("sampled mode measures the same on two video threads as on one", arguments: threadCases)
    func twoThreadsMeasureAsOne(_ item: ThreadCase) throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "video.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(item.fps, 1), frameCount: item.frames,
                                                    picture: item.picture), to: path)
            func measure(parallel: Bool) throws -> (ContentMeasurement, ContentSampler.RunThreads) {
                let input = try MediaProbe.openMedia(path)
                let analyzer = try ContentAnalyzer(thumbnail: LumaThumbnail.size(forPicture: 320, 180))
                let threads = try ContentSampler.sample(path: path, opened: input, videoIndex: 0, audioIndex: 1, audio: .level(floor: -60),
                                                        frameCount: item.frames, throughLastFrame: false, parallel: parallel, into: analyzer)
                return (analyzer.measurement(sampled: true, references: ContentReferences()), threads)
            }
            let (one, oneThreads) = try measure(parallel: false)
            let (two, twoThreads) = try measure(parallel: true)
            #expect(oneThreads == .one)
            #expect(twoThreads != .one)
            if let expected = item.threads { #expect(twoThreads == expected) }
            #expect(two == one)
            #expect(one.frames.count >= 2, "runs measured: \(one.frames.count)")
        }
    }

    @Test("SSIM of a thumbnail with itself is 1; with its negative it is far below the default")
    func similarity() {
        let pixels: [UInt8] = (0..<(80 * 45)).map { (i: Int) -> UInt8 in
            let value: Int = (i * 7 + (i / 80) * 13) % 256
            return UInt8(value)
        }
        let a = LumaThumbnail(width: 80, height: 45, pixels: pixels)
        let b = LumaThumbnail(width: 80, height: 45, pixels: pixels.map { 255 - $0 })
        #expect(abs((a.similarity(to: a) ?? 0) - 1) < 1e-9)
        #expect((a.similarity(to: b) ?? 1) < 0)
        #expect(a.similarity(to: LumaThumbnail(width: 40, height: 45, pixels: [])) == nil)
    }
}
