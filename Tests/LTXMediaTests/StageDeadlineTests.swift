import Foundation
import LTXCore
import Testing
@testable import LTXMedia

/// A stage's deadline reaches every FFmpeg input opened under it (issue 10: in-process stage timeouts).
@Suite("stage deadlines stop FFmpeg reads")
struct StageDeadlineTests {
    @Test("past its deadline an input stops with FFmpeg's exit error and the deadline says so; within it nothing changes")
    func stopsReadsPastTheDeadline() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "clip.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9), to: path)

            let passed = StageDeadline(seconds: 0)
            let error = StageDeadline.$current.withValue(passed) {
                #expect(throws: MediaError.self) { try VideoVerifier.measure(path, deep: true) }
            }
            #expect(passed.expired)
            #expect(error?.path == path)
            #expect(error?.reason.contains("exit") == true, "\(String(describing: error))")

            let generous = StageDeadline(seconds: 600)
            let measured = try StageDeadline.$current.withValue(generous) { try VideoVerifier.measure(path, deep: true) }
            #expect(measured.decoding?.decodedFrames == 9 && measured.decoding?.error == nil)
            #expect(!generous.expired)

            let unbound = try VideoVerifier.measure(path, deep: true)
            #expect(unbound.decoding?.decodedFrames == 9)
        }
    }

    @Test("an input opened under a deadline keeps it: a read after the deadline stops even outside the stage's scope")
    func theInputKeepsItsDeadline() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "clip.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9), to: path)
            let deadline = StageDeadline(seconds: 0.000_001)
            let input = StageDeadline.$current.withValue(deadline) { () -> Result<InputContext, FFmpegError> in
                do throws(FFmpegError) { return .success(try InputContext(path: path)) } catch { return .failure(error) }
            }
            if case .failure(let error) = input { #expect(error.code == InputContext.exitRequested) }
            // Either the open already saw the deadline pass, or the first read does.
            if case .success(let input) = input {
                let packet = try Packet()
                #expect(throws: FFmpegError(code: InputContext.exitRequested, operation: "av_read_frame (stage timeout)")) { try input.read(into: packet) }
            }
            #expect(deadline.expired)
        }
    }
}
