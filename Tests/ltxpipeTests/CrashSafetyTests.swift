import Foundation
import LTXPipeline
import LTXSimulator
import Testing

/// Runs `ltxpipe run` as a child process and SIGKILLs it at random moments, then lets it finish.
@Suite("Crash safety: SIGKILL at random moments", .serialized)
struct CrashSafetyTests {
    /// A deterministic generator so a failing run can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func launch(_ arguments: [String], in directory: String, environment: [String: String?]) throws -> Process {
        let process = Support.process(arguments, in: directory, variables: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: directory + "/stderr.log") ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(arguments: ["generations", "ltx-v2"])
    func killedRunsResumeWithoutPayingTwiceOrLosingAFile(dialect: String) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/drop", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/stderr.log", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scale = 0.01
        let server = SimulatorServer(configuration: SimulatorConfiguration(
            apiKey: "crash-key", fastLatency: 5...15, timeScale: scale,
            cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("crash-cache-\(getpid())").path
        ))
        let v1 = try await server.start()
        let base = dialect == "ltx-v2" ? v1.deletingLastPathComponent() : v1
        defer { Task { await server.stop() } }
        let pipeline = """
        name: crash
        drop: ./drop
        archive: ./archive
        failed: ./failed
        state: ./state
        api:
          base: \(base.absoluteString)
          dialect: \(dialect)
        defaults: { model: \(dialect == "ltx-v2" ? "ltx-2-3-fast" : "ltx-2-fast"), resolution: 1920x1080, duration: 6, fps: 25 }
        settle_seconds: 0
        poll_seconds: 0.05
        # This test kills on purpose, up to 12 times: a job killed 3 times inside one stage must resume, not be quarantined.
        poison_attempts: 100
        """
        try Data(pipeline.utf8).write(to: URL(fileURLWithPath: root + "/crash.yml"))
        let prompts = (0..<20).map { "prompt number \($0): a paper lantern rising" }
        for (i, prompt) in prompts.enumerated() {
            try Data(prompt.utf8).write(to: URL(fileURLWithPath: root + "/drop/job\(i).txt"))
        }
        let arguments = ["run", "crash.yml", "--once", "--time-scale", String(scale)]
        let environment: [String: String?] = ["LTX_API_KEY": "crash-key"]

        var random = SplitMix(state: 20_261_125)
        var kills = 0
        var finishedEarly = 0
        while kills < 12 && finishedEarly < 20 {
            let process = try Self.launch(arguments, in: root, environment: environment)
            try await Task.sleep(for: .milliseconds(Int.random(in: 40...450, using: &random)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                await ProcessWaiting.exit(of: process)
                #expect(process.terminationReason == .uncaughtSignal)
                kills += 1
            } else {
                finishedEarly += 1
                if process.terminationStatus == 0 || process.terminationStatus == 3 { break }
            }
        }
        let lastStatus = try await Support.runUntilFinished(attempts: 10) { try Self.launch(arguments, in: root, environment: environment) }
        let log = (try? String(contentsOfFile: root + "/stderr.log", encoding: .utf8)) ?? ""
        // The property (never paid twice, nothing lost) is asserted below whatever the number of kills that landed:
        // a fast machine finishes runs before a kill reaches them.
        #expect(kills + finishedEarly > 0)
        #expect(lastStatus == 0 || lastStatus == 3, "final run exited \(lastStatus)\n\(log.suffix(3000))")

        let jobs = try await Ledger(path: root + "/state/ledger.sqlite").jobs()
        let stats = await server.stats()
        #expect(jobs.count == 20, "\(jobs.map { "\($0.name) \($0.state)" })")
        for prompt in prompts {
            #expect((stats.submitsByPrompt[prompt] ?? 0) <= 1, "paid twice for \(prompt)")
        }
        var archived = 0
        for job in jobs {
            let input = job.name + ".txt"
            switch job.state {
            case .archived:
                archived += 1
                let bag = try #require(job.bag)
                #expect(FileManager.default.fileExists(atPath: bag + "/data/inputs/" + input))
                #expect(FileManager.default.fileExists(atPath: bag + "/data/video.mp4"))
                #expect(BagVerifier.verify(bag: bag).valid, "\(bag)")
                #expect(stats.submitsByPrompt[job.parameters?.prompt ?? ""] == 1)
            case .held:
                // Killed after the submit was sent but before its answer was written down: never re-sent.
                #expect(job.reason == "uncertain-submit", "\(job.name) held for \(job.reason?.rawValue ?? "?"): \(job.detail ?? "")")
                #expect(FileManager.default.fileExists(atPath: root + "/state/jobs/\(job.id)/inputs/" + input))
            default:
                Issue.record("\(job.name) ended \(job.state) (\(job.reason ?? "")): \(job.detail ?? "")")
            }
        }
        print("crash safety (\(dialect)): \(kills) kills, \(archived) archived, \(jobs.count - archived) held, \(stats.submitsAccepted) submits accepted")
        // Submits go one at a time, so a kill can leave at most one submit uncertain.
        #expect(jobs.count - archived <= kills, "\(jobs.count - archived) jobs held after \(kills) kills")
        #expect(archived >= 20 - kills)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/drop").isEmpty)
        #expect(stats.submitsAccepted >= archived && stats.submitsAccepted <= jobs.count)
        let bags = BagVerifier.findBags(root: root + "/archive")
        #expect(bags.count == archived, "bags \(bags.count) vs archived jobs \(archived): a job was archived twice or a bag is missing")
    }

}
