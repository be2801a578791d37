import Foundation
import LTXPipeline
import LTXSimulator
import Testing

/// Each provider's protocol through the binary, SIGKILLed at moments picked from the ledger (just after a submit was
/// written down, while a video is downloaded or verified, while a bag is written), then run to its end: every dropped
/// job ends archived in a valid bag or held `uncertain-submit` with its inputs kept, no prompt is accepted twice, and
/// the drop folder's files are all somewhere.
@Suite("Crash safety per provider: SIGKILL through each protocol", .serialized)
struct ProviderCrashSafetyTests {
    /// One provider's case: its dialect, the variable its key travels in, and the smallest request its catalog serves.
    struct ProviderCase: Sendable, CustomTestStringConvertible {
        let provider: String
        let keyVariable: String
        let defaults: String
        /// Real seconds per simulated second. Replicate's outputs are deleted one simulated hour after a prediction, so its
        /// scale keeps that hour (72 s real) longer than the case runs; a case that runs longer may end `output-lost`.
        let scale: Double
        var testDescription: String { provider }
    }

    static let cases = [
        ProviderCase(provider: "fal", keyVariable: "FAL_KEY",
                     defaults: "{ model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 25 }", scale: 0.01),
        ProviderCase(provider: "replicate", keyVariable: "REPLICATE_API_TOKEN",
                     defaults: "{ model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 25 }", scale: 0.02),
        ProviderCase(provider: "wavespeed", keyVariable: "WAVESPEED_API_KEY",
                     defaults: "{ model: ltx-2-fast, resolution: 1920x1080, duration: 6, fps: 25 }", scale: 0.01),
        ProviderCase(provider: "apifree", keyVariable: "APIFREE_API_KEY",
                     defaults: "{ model: ltx-2-3-fast, resolution: 1280x720, duration: 6, fps: 24 }", scale: 0.01),
    ]

    static let key = "provider-crash-key"

    /// The stage a kill aims at: the first job seen entering one of `states` after the run started.
    struct KillTarget {
        let label: String
        let states: Set<JobState>
    }

    static let targets = [
        KillTarget(label: "after a submit", states: [.submitted]),
        KillTarget(label: "downloading or verifying", states: [.generated, .downloaded]),
        KillTarget(label: "archiving", states: [.verified]),
    ]

    static func launch(_ arguments: [String], in directory: String, provider: ProviderCase) throws -> Process {
        let process = Support.process(arguments, in: directory, variables: Support.onlyProviderVariables([provider.keyVariable: Self.key]))
        process.standardOutput = FileHandle.nullDevice
        let log = FileHandle(forWritingAtPath: directory + "/stderr.log")
        _ = try log?.seekToEnd()
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The ledger's states by job id, or nothing while the ledger is not there yet or busy.
    static func states(_ ledger: Ledger?) async -> [String: JobState] {
        guard let ledger, let jobs = try? await ledger.jobs() else { return [:] }
        return Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0.state) })
    }

    @Test(arguments: cases)
    func killedRunsLoseNothingAndPayOnce(provider: ProviderCase) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("provider-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/drop", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/stderr.log", contents: nil)
        let server = SimulatorServer(configuration: SimulatorConfiguration(
            apiKey: Self.key, fastLatency: 5...15, timeScale: provider.scale,
            cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("provider-crash-cache-\(getpid())").path
        ))
        let v1 = try await server.start()
        defer {
            Task { await server.stop() }
            try? FileManager.default.removeItem(atPath: root)
        }
        let base = v1.deletingLastPathComponent().absoluteString + provider.provider
        let pipeline = """
        name: crash-\(provider.provider)
        drop: ./drop
        archive: ./archive
        failed: ./failed
        state: ./state
        api: { base: \(base), dialect: \(provider.provider) }
        defaults: \(provider.defaults)
        settle_seconds: 0
        poll_seconds: 0.05
        verify: { mode: quick }
        # Killed on purpose, several times per stage: a job killed 3 times inside one stage must resume, not be quarantined.
        poison_attempts: 100

        """
        try Data(pipeline.utf8).write(to: URL(fileURLWithPath: root + "/crash.yml"))
        let prompts = (0..<12).map { "\(provider.provider) prompt \($0): a paper lantern rising" }
        for (index, prompt) in prompts.enumerated() {
            try Data(prompt.utf8).write(to: URL(fileURLWithPath: root + "/drop/job\(index).txt"))
        }
        let arguments = ["run", "crash.yml", "--once", "--time-scale", String(provider.scale)]
        let started = ContinuousClock.now

        var random = CrashSafetyTests.SplitMix(state: 20_261_126 &+ UInt64(provider.provider.utf8.count))
        var ledger: Ledger?
        var kills: [String] = []
        var finishedEarly = 0
        var round = 0
        while kills.count < 6 && finishedEarly < 3 {
            let target = Self.targets[round % Self.targets.count]
            round += 1
            let before = await Self.states(ledger)
            let process = try Self.launch(arguments, in: root, provider: provider)
            // Waits (up to 3 s) for a job to reach the target stage in this run, then a few milliseconds more so the kill
            // lands at different points inside that stage.
            var reached = false
            for _ in 0..<300 where process.isRunning && !reached {
                try await Task.sleep(for: .milliseconds(10))
                if ledger == nil, FileManager.default.fileExists(atPath: root + "/state/ledger.sqlite") {
                    ledger = try? Ledger(path: root + "/state/ledger.sqlite")
                }
                let now = await Self.states(ledger)
                reached = now.contains { id, state in target.states.contains(state) && before[id] != state }
            }
            if reached { try await Task.sleep(for: .milliseconds(Int.random(in: 0...40, using: &random))) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                await ProcessWaiting.exit(of: process)
                #expect(process.terminationReason == .uncaughtSignal)
                kills.append(reached ? target.label : "at 3 s")
            } else {
                await ProcessWaiting.exit(of: process)
                finishedEarly += 1
                if process.terminationStatus == 0 || process.terminationStatus == 3 { break }
            }
        }
        let last = try await Support.runUntilFinished(attempts: 5) { try Self.launch(arguments, in: root, provider: provider) }
        let elapsed = ContinuousClock.now - started
        let log = (try? String(contentsOfFile: root + "/stderr.log", encoding: .utf8)) ?? ""
        #expect(last == 0 || last == 3, "final run exited \(last)\n\(log.suffix(3000))")
        #expect(!log.contains(Self.key), "the key is in the log")

        let jobs = try await Ledger(path: root + "/state/ledger.sqlite").jobs()
        let stats = await server.stats()
        #expect(jobs.count == prompts.count, "\(jobs.map { "\($0.name) \($0.state)" })")
        for prompt in prompts {
            #expect((stats.submitsByPrompt[prompt] ?? 0) <= 1, "\(provider.provider) accepted \(prompt) \(stats.submitsByPrompt[prompt] ?? 0) times")
        }
        // Replicate deletes an output one simulated hour after its prediction: only a case that ran longer than that
        // in real time may lose one, and then the job says so (failed output-lost, paid once, never re-sent).
        let outputLifetime = Duration.seconds(3_600 * provider.scale)
        var archived = 0, held = 0, lost = 0
        for job in jobs {
            let input = job.name + ".txt"
            let prompt = job.parameters?.prompt ?? ""
            #expect(prompts.contains(prompt), "\(job.name) has prompt \(prompt)")
            switch (job.state, job.reason) {
            case (.archived, _):
                archived += 1
                #expect(job.provider == provider.provider)
                let bag = try #require(job.bag)
                #expect(BagVerifier.verify(bag: bag).valid, "\(bag)")
                #expect(FileManager.default.contents(atPath: bag + "/data/inputs/" + input) == Data(prompt.utf8), "\(job.name)'s prompt is not in its bag")
                #expect(FileManager.default.fileExists(atPath: bag + "/data/video.mp4"))
                #expect(stats.submitsByPrompt[prompt] == 1, "\(job.name) archived but \(provider.provider) accepted it \(stats.submitsByPrompt[prompt] ?? 0) times")
            case (.held, JobReason.uncertainSubmit):
                // Killed after the submit was sent, before its answer was written down: held, never re-sent.
                held += 1
                #expect(FileManager.default.contents(atPath: root + "/state/jobs/\(job.id)/inputs/" + input) == Data(prompt.utf8), "\(job.name)'s prompt was not kept")
            case (.failed, "output-lost") where provider.provider == "replicate" && elapsed > outputLifetime:
                lost += 1
                #expect(stats.submitsByPrompt[prompt] == 1)
            default:
                Issue.record("\(job.name) ended \(job.state) (\(job.reason?.rawValue ?? "")): \(job.detail ?? "") after \(elapsed)\n\(log.suffix(2000))")
            }
        }
        print("crash safety (\(provider.provider)): \(kills.count) kills [\(kills.joined(separator: ", "))], \(finishedEarly) finished early, "
              + "\(archived) archived, \(held) held uncertain, \(lost) output-lost, \(stats.submitsAccepted) submits accepted, \(elapsed)")
        #expect(kills.count + finishedEarly > 0)
        // Submits go one at a time, so a kill leaves at most one submit uncertain.
        #expect(held <= kills.count, "\(held) jobs held after \(kills.count) kills")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/drop").isEmpty)
        #expect(stats.submitsAccepted >= archived + lost && stats.submitsAccepted <= jobs.count)
        #expect(BagVerifier.findBags(root: root + "/archive").count == archived,
                "a job was archived twice or a bag is missing")
    }
}
