import Foundation
import Testing

@Suite("ltxpipe usage errors")
struct UsageTests {
    @Test("usage errors exit 2 (not ArgumentParser's 64) with a message on stderr", arguments: [
        ["verify", "--fps", "abc", "x.mp4"],
        ["verify", "--fps", "25/0", "x.mp4"],
        ["verify", "--resolution", "big", "x.mp4"],
        ["verify", "--duration", "-3", "x.mp4"],
        ["verify"],
        ["probe"],
        ["preflight", "--resolution", "1234", "x.png"],
        ["preflight", "--fit", "sideways", "x.png"],
        ["preflight", "--mode", "text-to-video", "x.png"],
        ["preflight", "--duration", "six", "x.wav"],
        ["frobnicate"],
        ["verify", "--no-such-flag", "x.mp4"],
    ])
    func usageErrors(arguments: [String]) async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(arguments, in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(!result.stderr.isEmpty)
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("the failing option is named in the message")
    func namesTheOption() async throws {
        try await Support.withTemporaryDirectory { dir in
            let fps = try await Support.run(["verify", "--fps", "abc", "x.mp4"], in: dir)
            #expect(fps.stderr.contains("--fps abc is not a frame rate"))
            let resolution = try await Support.run(["preflight", "--resolution", "1234", "x.png"], in: dir)
            #expect(resolution.stderr.contains("--resolution 1234 is not WIDTHxHEIGHT"))
        }
    }

    @Test("--help exits 0 and lists the commands")
    func help() async throws {
        try await Support.withTemporaryDirectory { dir in
            let result = try await Support.run(["--help"], in: dir)
            #expect(result.status == 0)
            for command in ["probe", "preflight", "verify"] {
                #expect(result.stdout.contains(command))
            }
        }
    }
}
