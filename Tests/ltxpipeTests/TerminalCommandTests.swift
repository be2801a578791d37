import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LTXSimulator
import Testing
@testable import ltxpipe

/// What a person watching a run sees: the live status block on a terminal (a pseudo-terminal here), timestamped
/// lines when the output is piped, JSON lines with `--log-format json`; plus `--version`, completion scripts and
/// `--json` errors on stdout.
@Suite("the terminal: status block, log lines, version, completions, JSON errors", .serialized)
struct TerminalCommandTests {
    typealias E2E = GenerateCommandTests

    /// The child's variables: the simulator's key, no base override, a terminal type that moves the cursor.
    static let variables: [String: String?] = ["LTX_API_KEY": E2E.key, "LTX_API_BASE": nil, "TERM": "xterm"]

    /// Runs `ltxpipe arguments...` with stdout and stderr on one pseudo-terminal (200 columns) and returns its exit
    /// status and every byte it wrote there. The terminal is read on a thread of its own while the child runs.
    static func runOnTerminal(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 50, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &size) == 0, "openpty: errno \(errno)")
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let process = Support.process(arguments, in: directory, variables: variables)
        process.standardOutput = terminal
        process.standardError = terminal
        do { try process.run() } catch {
            try? terminal.close()
            close(master)
            throw error
        }
        try terminal.close()
        let reader = master
        let bytes = Task { await ProcessWaiting.offPool { Self.readUntilClosed(reader) } }
        await ProcessWaiting.exit(of: process)
        let output = await bytes.value
        close(master)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Every byte until the last writer of the terminal is gone (Linux reports EIO then).
    static func readUntilClosed(_ descriptor: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                result += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return result
            }
        }
    }

    /// `2026-11-26T15:20:01.123Z ` at the start of a line.
    static func isTimestamped(_ line: Substring) -> Bool {
        line.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z "#, options: .regularExpression) != nil
    }

    @Test func aRunOnATerminalKeepsALiveStatusBlockAndEndsWithItsSummary() async throws {
        // Generations take 2 s (real): the block redraws several times while the job is generating.
        try await E2E.withSimulator({ $0.timeScale = 0.4 }) { base, _, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            try LivingCommandTests.drop("boat.txt", "a rowing boat", in: directory)
            let clock = ContinuousClock()
            let started = clock.now
            let (status, output) = try await Self.runOnTerminal(["run", "e2e.yml", "--once", "--time-scale", "0.4"], in: directory)
            let lasted = clock.now - started
            #expect(status == 0, "\(output)")
            // Every draw writes the header once; at most 4 draws a second over the child's whole life.
            let draws = output.components(separatedBy: "e2e · ").count - 1
            let seconds = Double(lasted.components.seconds) + Double(lasted.components.attoseconds) / 1e18
            #expect(draws >= 2 && Double(draws) <= seconds * Double(LiveStatus.redrawsPerSecond) + 1, "\(draws) draws in \(seconds) s")
            #expect(output.contains("\u{1B}[J"), "the block is erased and redrawn in place: \(output)")
            #expect(output.contains("e2e · ") && output.contains(" generating · ") && output.contains("spent today $") && output.contains(" · total $"),
                    "the block's header: \(output)")
            #expect(output.contains("boat  generating 0:0"), "the job in flight with its elapsed time: \(output)")
            #expect(output.contains("e2e: watching ") && output.contains("verification deep"), "what it watches and how it verifies: \(output)")
            #expect(output.contains("e2e: 1 archived, 0 failed, 0 held"), "the final summary: \(output)")
            #expect(!output.contains(E2E.key))
        }
    }

    @Test func pipedOutputGivesTimestampedLinesAndLogFormatJSONGivesOneObjectPerLine() async throws {
        try await E2E.withSimulator { base, _, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            try LivingCommandTests.drop("boat.txt", "a rowing boat", in: directory)
            let piped = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(piped.status == 0, "\(piped)")
            #expect(piped.stdout == "e2e: 1 archived, 0 failed, 0 held\n", "\(piped)")
            #expect(!piped.stdout.utf8.contains(0x1B) && !piped.stderr.utf8.contains(0x1B), "no escape sequences: \(piped)")
            let lines = piped.stderr.split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy(Self.isTimestamped), "\(piped)")
            let submitted = try #require(lines.first { $0.contains("boat: submitted as ") }, "\(piped)")
            let id = try #require(piped.stderr.components(separatedBy: "as job ").dropFirst().first?.prefix { !$0.isWhitespace })
            #expect(submitted.contains(" info ") && submitted.hasSuffix(" job=\(id)"), "level and job id: \(submitted)")
            #expect(lines.contains { $0.contains("e2e: watching ") && $0.contains("state in ") } && lines.contains { $0.contains("e2e: api ") },
                    "\(piped)")

            try LivingCommandTests.drop("kite.txt", "a red kite", in: directory)
            let json = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001", "--log-format", "json", "--log-level", "debug"], in: directory)
            #expect(json.status == 0, "\(json)")
            var objects: [[String: Any]] = []
            for line in json.stderr.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                objects.append(try #require(object, "not a JSON object: \(line)"))
            }
            #expect(objects.allSatisfy { $0["level"] is String && $0["message"] is String && $0["time"] is String }, "\(json)")
            let kite = try #require(objects.first { ($0["message"] as? String)?.contains("kite: submitted as ") == true }, "\(json)")
            let kiteID = try #require(kite["job"] as? String)
            #expect(kite["level"] as? String == "info" && kiteID.contains("kite"))
            #expect(objects.contains { $0["level"] as? String == "debug" && $0["job"] as? String == kiteID }, "API calls at debug carry the job: \(json)")
            #expect(objects.filter { ($0["message"] as? String)?.hasPrefix("kite: ") == true }.allSatisfy { $0["job"] as? String == kiteID })
            #expect(!json.stderr.contains(E2E.key) && !piped.stderr.contains(E2E.key))
        }
    }

    @Test func versionCompletionsAndJSONErrors() async throws {
        try await Support.withTemporaryDirectory { dir in
            let version = try await Support.run(["--version"], in: dir)
            // The number is the one in Version.swift; the commit is the one the binary's own build read (this test
            // bundle may have been built at another commit).
            #expect(version.status == 0 && version.stdout.hasPrefix(LTXPipeVersion.number), "\(version)")
            #expect(version.stdout.range(of: #"^\d+\.\d+\.\d+( \(commit [0-9a-f]{7,40}\))?\n$"#, options: .regularExpression) != nil, "\(version)")

            for shell in ["bash", "zsh", "fish"] {
                let script = try await Support.run(["--generate-completion-script", shell], in: dir)
                #expect(script.status == 0 && script.stdout.count > 500, "\(shell): \(script)")
                #expect(["generate", "run", "jobs", "download", "log-format"].allSatisfy(script.stdout.contains), "\(shell)")
            }

            let missing = try await Support.run(["generate", "image-to-video", "--prompt", "a kite", "--image", "nope.jpg", "--dry-run", "--json"], in: dir)
            #expect(missing.status == 2, "\(missing)")
            let error = try missing.jsonObject()
            #expect((error["error"] as? String)?.contains("nope.jpg") == true && error["file"] as? String == "nope.jpg", "\(missing)")
            #expect(error["exit_code"] as? Int == 2 && missing.stderr.contains("nope.jpg"), "\(missing)")

            let pipeline = try await Support.run(["run", "absent.yml", "--json"], in: dir)
            #expect(pipeline.status == 3, "\(pipeline)")
            let refused = try pipeline.jsonObject()
            #expect(refused["file"] as? String == "absent.yml" && refused["exit_code"] as? Int == 3, "\(pipeline)")

            let usage = try await Support.run(["generate", "text-to-video", "--json"], in: dir)
            #expect(usage.status == 2, "\(usage)")
            let usageError = try usage.jsonObject()
            #expect((usageError["error"] as? String)?.contains("--prompt") == true && usageError["exit_code"] as? Int == 2, "\(usage)")
            #expect(usageError.keys.contains("file") && usageError["file"] is NSNull, "\(usage)")
        }
    }

    @Test func theBlocksFiguresAndTheFileAnErrorNames() {
        #expect(StatusFigures.clock(42) == "0:42" && StatusFigures.clock(3725) == "1:02:05" && StatusFigures.clock(-1) == "0:00")
        #expect(StatusFigures.download(bytes: 3_200_000, total: 5_100_000) == "3.2 of 5.1 MB (62 %)")
        #expect(StatusFigures.download(bytes: 3_200_000, total: nil) == "3.2 MB")
        #expect(LiveStatus.cut("abcdefgh", to: 5) == "abcd…" && LiveStatus.cut("abc", to: 5) == "abc")
        #expect(JSONErrorReport.file(in: "pipelines/x.yml:7: defaults.duration: duration 30 is outside 6–10",
                                     arguments: ["run", "pipelines/x.yml"]) == "pipelines/x.yml")
        #expect(JSONErrorReport.file(in: "ltxpipe probe: -shot.mp4: a name starting with \"-\" is read as options",
                                     arguments: ["probe", "-shot.mp4"]) == "-shot.mp4")
        #expect(JSONErrorReport.file(in: "Error: Missing expected argument '--prompt <prompt>'", arguments: ["generate", "text-to-video"]) == nil)
        #expect(Console.timestamp(Date(timeIntervalSince1970: 1_795_000_000.25)) == "2026-11-18T11:06:40.250Z")
    }
}
