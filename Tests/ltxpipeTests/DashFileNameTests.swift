import Foundation
import LTXAPI
import LTXGeneration
import LTXMedia
import Testing
@testable import ltxpipe

/// A file named `-shot.mp4` is a file, never a bundle of flags that prints help and exits 0 (issue 10).
@Suite("File names that begin with a dash")
struct DashFileNameTests {
    @Test("probe/verify/preflight -shot.mp4 is a usage error naming the file and the way to pass it", arguments: ["probe", "verify", "preflight"])
    func refusedWithoutDoubleDash(command: String) async throws {
        try await Support.withTemporaryDirectory { dir in
            _ = try Support.copyFixture("media/clip-320x180-25fps-9f.mkv", into: dir, as: "-shot.mp4")
            let result = try await Support.run([command, "-shot.mp4"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("-shot.mp4") && result.stderr.contains("-- -shot.mp4"), "\(result)")
            #expect(!result.stdout.contains("USAGE"), "never help")
        }
    }

    @Test("probe -- -shot.mp4 probes the file")
    func doubleDashProbes() async throws {
        try await Support.withTemporaryDirectory { dir in
            _ = try Support.copyFixture("media/clip-320x180-25fps-9f.mkv", into: dir, as: "-shot.mp4")
            let result = try await Support.run(["probe", "--json", "--", "-shot.mp4"], in: dir)
            #expect(result.status == 0, "\(result)")
            let info = try result.jsonArray().first
            #expect((info?["path"] as? String)?.hasSuffix("-shot.mp4") == true, "\(result)")
            let missing = try await Support.run(["probe", "--", "-gone.mp4"], in: dir)
            #expect(missing.status == 2 && missing.stderr.contains("-gone.mp4"), "\(missing)")
        }
    }
}

/// The exit codes a hostile server's answers lead to (README, "Exit codes").
@Suite("Exit codes for unreadable answers")
struct UnreadableAnswerExitTests {
    @Test func anUnreadableSubmitAnswerIs4AndABrokenDownloadIsNotBadInput() {
        #expect(ExitStatus.of(GenerationRunError.api(.malformedResponse("HTTP 200 body is not a JSON object"))).rawValue == 4)
        #expect(ExitStatus.of(GenerationRunError.api(.uncertainSubmit("reset"))).rawValue == 4)
        #expect(ExitStatus.of(GenerationRunError.api(.downloadFailed("truncated"))).rawValue == 1)
        #expect(ExitStatus.of(GenerationRunError.video(MediaError(.damaged, path: "v.mp4", reason: "x"))).rawValue == 1)
    }
}
