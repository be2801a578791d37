import Foundation
import LTXPipeline
import LTXSimulator
import Testing

/// Living with a pipeline through the binary: stopping a run, one run per ledger, `jobs` filters and totals, `retry`,
/// `spend`, and `generate --no-wait` followed by `download`.
@Suite("stop, jobs, retry, spend and download through the binary", .serialized)
struct LivingCommandTests {
    typealias E2E = GenerateCommandTests

    /// A started `ltxpipe` child with its output files.
    struct Child {
        let process: Process
        let stdout: String
        let stderr: String

        static func start(_ arguments: [String], in directory: String) throws -> Child {
            let out = directory + "/.child-out-\(UUID().uuidString)", err = directory + "/.child-err-\(UUID().uuidString)"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            let process = Support.process(arguments, in: directory, variables: ["LTX_API_KEY": E2E.key, "LTX_API_BASE": nil])
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
            return Child(process: process, stdout: out, stderr: err)
        }

        func finish() async throws -> RunResult {
            await ProcessWaiting.exit(of: process)
            return RunResult(status: process.terminationStatus, stdout: try String(contentsOfFile: stdout, encoding: .utf8),
                             stderr: try String(contentsOfFile: stderr, encoding: .utf8))
        }
    }

    /// Polls `condition` every 50 ms until it holds; false if it never did within `attempts` looks.
    static func eventually(attempts: Int = 600, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<attempts {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func drop(_ name: String, _ text: String, in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/drop/" + name))
    }

    @Test func sigtermStopsARunWithOneSummaryLineAndASecondRunIsRefused() async throws {
        // Generations take 2 s (real), so SIGTERM arrives while one is running on the service.
        try await E2E.withSimulator({ $0.timeScale = 0.4 }) { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            try Self.drop("boat.txt", "a rowing boat", in: directory)
            let run = try Child.start(["run", "e2e.yml", "--time-scale", "0.4"], in: directory)
            let submitted = try await Self.eventually {
                (try? String(contentsOfFile: run.stderr, encoding: .utf8))?.contains("boat: submitted as ") == true
            }
            #expect(submitted, "the job never reached submitted")

            let second = try await E2E.run(["run", "e2e.yml", "--once"], in: directory)
            #expect(second.status == 5, "\(second)")
            #expect(second.stderr.contains("process \(run.process.processIdentifier)"), "\(second)")
            #expect(!second.stderr.contains("simulator listening"), "refused before anything starts: \(second)")

            let log = try String(contentsOfFile: run.stderr, encoding: .utf8)
            let id = try #require(log.components(separatedBy: "as job ").dropFirst().first?.prefix { !$0.isWhitespace })
            let retry = try await E2E.run(["retry", String(id), "--pipeline", "e2e.yml"], in: directory)
            #expect(retry.status == 5 && retry.stderr.contains("process \(run.process.processIdentifier)"), "no retry while a run works the ledger: \(retry)")

            kill(run.process.processIdentifier, SIGTERM)
            let stopped = try await run.finish()
            #expect(stopped.status == 0, "\(stopped)")
            #expect(stopped.stdout == "e2e: stopped; 1 job will resume on the next run (this run: 0 archived, 0 failed)\n", "\(stopped)")
            #expect(!stopped.stderr.contains("CancellationError"), "\(stopped)")

            // The lock went with the process; the next run resumes the generation without paying again.
            let resumed = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.4"], in: directory)
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stdout.contains("1 archived, 0 failed, 0 held"), "\(resumed)")
            #expect(await server.stats().submitsAccepted == 1)
        }
    }

    @Test func anIdleRunStopsOnSIGINTAndASIGKILLedRunLeavesNoLock() async throws {
        try await E2E.withSimulator { base, _, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            let lockPath = directory + "/state/ledger.sqlite.lock"
            let killed = try Child.start(["run", "e2e.yml"], in: directory)
            #expect(try await Self.eventually { (try? String(contentsOfFile: lockPath, encoding: .utf8)) == "\(killed.process.processIdentifier)\n" })
            kill(killed.process.processIdentifier, SIGKILL)
            _ = try await killed.finish()

            let idle = try Child.start(["run", "e2e.yml"], in: directory)
            #expect(try await Self.eventually { (try? String(contentsOfFile: idle.stderr, encoding: .utf8))?.contains("e2e: watching ") == true },
                    "a SIGKILLed run's lock must not block the next run")
            #expect((try? String(contentsOfFile: lockPath, encoding: .utf8)) == "\(idle.process.processIdentifier)\n")
            kill(idle.process.processIdentifier, SIGINT)
            let stopped = try await idle.finish()
            #expect(stopped.status == 0, "\(stopped)")
            #expect(stopped.stdout.contains("e2e: stopped; 0 jobs will resume on the next run"), "\(stopped)")
            #expect(!stopped.stderr.contains("ledger:"), "\(stopped)")
        }
    }

    @Test func aFailedJobIsRetriedIntoAnArchivedBagAndCounted() async throws {
        try await E2E.withSimulator { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            try Self.drop("boat.txt", "a rowing boat", in: directory)
            try Self.drop("kite.txt", "a red kite", in: directory)
            await server.setFaults(FaultPlan(failedGenerations: 1))
            let first = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(first.status == 1, "\(first)")

            let failedRows = try await E2E.run(["jobs", "e2e.yml", "--state", "failed", "--json"], in: directory).jsonArray()
            #expect(failedRows.count == 1)
            let failed = try #require(failedRows.first)
            let id = try #require(failed["id"] as? String)
            let name = try #require(failed["name"] as? String)
            #expect(failed["reason"] as? String == "generation-failed")
            let original = try Support.bytes(directory + "/failed/\(name)/\(name).txt")

            let table = try await E2E.run(["jobs", "e2e.yml", "--state", "failed"], in: directory)
            #expect(table.status == 0, "\(table)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "title, header, one row, totals: \(table)")
            let header = try #require(lines.dropFirst().first)
            #expect(header.hasPrefix("ID ") && header.contains("STATE") && header.contains("COST"))
            let row = try #require(lines.dropFirst(2).first)
            #expect(row.hasPrefix(id) && row.contains("failed") && row.contains("generation-failed"))
            #expect(row.range(of: "failed")?.lowerBound.utf16Offset(in: row) == header.range(of: "STATE")?.lowerBound.utf16Offset(in: header), "columns aligned: \(table)")
            #expect(lines.last?.hasPrefix("totals: 1 job (1 failed)") == true, "\(table)")
            let all = try await E2E.run(["jobs", "e2e.yml"], in: directory)
            #expect(all.stdout.contains("totals: 2 jobs (1 archived, 1 failed) · spent $0.24"), "the failed generation was charged too: \(all)")

            let retry = try await E2E.run(["retry", id, "--pipeline", "e2e.yml"], in: directory)
            #expect(retry.status == 0, "\(retry)")
            #expect(retry.stdout.contains("failed → claimed"), "\(retry)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/failed/\(name)"), "the inputs went back; nothing but error.json was left")
            let again = try await E2E.run(["retry", id, "--pipeline", "e2e.yml"], in: directory)
            #expect(again.status == 2 && again.stderr.contains("only a failed or held job can be retried"), "\(again)")

            let second = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("1 archived, 0 failed, 0 held"), "\(second)")
            let rows = try await E2E.run(["jobs", "e2e.yml", "--json"], in: directory).jsonArray()
            let retried = try #require(rows.first { $0["id"] as? String == id })
            #expect(retried["state"] as? String == "archived")
            let bag = try #require(retried["bag"] as? String)
            #expect(try Support.bytes(bag + "/data/inputs/\(name).txt") == original)
            let bagInfo = try String(contentsOfFile: bag + "/bag-info.txt", encoding: .utf8)
            #expect(bagInfo.contains("Earlier-Attempts-Cost: 0.1200"), "\(bagInfo)")
            #expect(try await E2E.run(["jobs", "e2e.yml", "--since", "7d", "--json"], in: directory).jsonArray().count == 2)
            #expect(try await E2E.run(["jobs", "e2e.yml", "--since", "2999-01-01", "--json"], in: directory).jsonArray().isEmpty)
            let badSince = try await E2E.run(["jobs", "e2e.yml", "--since", "last tuesday"], in: directory)
            #expect(badSince.status == 2, "\(badSince)")
            let verify = try await E2E.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")
            #expect(await server.stats().submitsAccepted == 3)

            let show = try await E2E.run(["jobs", "show", id, "--pipeline", "e2e.yml"], in: directory)
            #expect(show.status == 0, "\(show)")
            #expect(show.stdout.contains("generate   failed") && show.stdout.contains("resume     retry") && show.stdout.contains(bag + "/data/video.mp4"), "\(show)")

            // Every charge counts: the failed attempt's and both archived generations'.
            let charged = rows.reduce(0.0) { $0 + ($1["cost"] as? Double ?? 0) + ($1["prior_cost"] as? Double ?? 0) }
            let spend = try await E2E.run(["spend", "e2e.yml", "--by", "model", "--json"], in: directory).jsonArray()
            #expect(spend.count == 1)
            #expect(spend.first?["key"] as? String == "ltx-2-fast")
            #expect(spend.first?["jobs"] as? Int == 2)
            #expect(abs((spend.first?["spent"] as? Double ?? 0) - charged) < 1e-9)
            #expect(abs(charged - 0.36) < 1e-9, "three generations at $0.12 (one failed, charged anyway): \(rows)")
            let text = try await E2E.run(["spend", "e2e.yml", "--by", "model"], in: directory)
            #expect(text.stdout.contains("ltx-2-fast") && text.stdout.contains(String(format: "$%.2f", charged)), "\(text)")
        }
    }

    @Test func anUncertainSubmitIsRetriedOnlyWhenTheUserSaysSo() async throws {
        try await E2E.withSimulator { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            try Self.drop("boat.txt", "a rowing boat", in: directory)
            await server.setFaults(FaultPlan(resetAfterSubmit: 1))
            let first = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(first.status == 3, "held: \(first)")
            let held = try await E2E.run(["jobs", "e2e.yml", "--state", "held", "--json"], in: directory).jsonArray()
            let id = try #require(held.first?["id"] as? String)
            #expect(held.first?["reason"] as? String == "uncertain-submit")

            let refused = try await E2E.run(["retry", id, "--pipeline", "e2e.yml"], in: directory)
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("may have been accepted and paid for") && refused.stderr.contains("--resubmit-uncertain"), "\(refused)")
            let still = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(still.status == 3, "\(still)")
            #expect(await server.stats().submitsAccepted == 1)

            let retry = try await E2E.run(["retry", id, "--pipeline", "e2e.yml", "--resubmit-uncertain"], in: directory)
            #expect(retry.status == 0, "\(retry)")
            let done = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(done.status == 0, "\(done)")
            #expect(await server.stats().submitsAccepted == 2)
        }
    }

    @Test func ctrlCAfterTheSubmitNamesTheIdAndTheDownloadThatFetchesIt() async throws {
        try await E2E.withSimulator({ $0.timeScale = 0.4 }) { base, server, directory in
            let api = ["--dialect", "generations", "--api-base", base.absoluteString, "--time-scale", "0.4", "--out", "out"]
            let generate = try Child.start(["generate", "text-to-video", "--prompt", "a kite"] + api, in: directory)
            #expect(try await Self.eventually { (try? String(contentsOfFile: generate.stderr, encoding: .utf8))?.contains("next poll") == true })
            kill(generate.process.processIdentifier, SIGINT)
            let stopped = try await generate.finish()
            #expect(stopped.status == 130, "\(stopped)")
            let records = try Support.listing(directory + "/out").filter { $0.hasSuffix(".generation.json") }
            let id = try #require(records.first.map { String($0.dropLast(".generation.json".count)) })
            #expect(stopped.stderr.contains("generation \(id) was submitted and is paid for"), "\(stopped)")
            #expect(stopped.stderr.contains("ltxpipe download --dialect generations --api-base \(base.absoluteString) --out out \(id)"), "\(stopped)")

            let downloaded = try await E2E.run(["download", id] + api, in: directory)
            #expect(downloaded.status == 0, "\(downloaded)")
            #expect(downloaded.stdout.contains("verification: PASS"), "\(downloaded)")
            #expect(await server.stats().submitsAccepted == 1)
        }
    }

    @Test func generateNoWaitThenDownloadSavesAVerifiedVideo() async throws {
        try await E2E.withSimulator { base, server, directory in
            let api = ["--dialect", "generations", "--api-base", base.absoluteString, "--time-scale", "0.001", "--out", "out"]
            let submitted = try await E2E.run(["generate", "text-to-video", "--prompt", "a kite", "--no-wait"] + api, in: directory)
            #expect(submitted.status == 0, "\(submitted)")
            let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!id.isEmpty && !id.contains("\n"), "\(submitted)")
            #expect(submitted.stderr.contains("ltxpipe download --dialect generations --api-base \(base.absoluteString) --out out \(id)"), "\(submitted)")
            #expect(try Support.listing(directory + "/out") == ["\(id).generation.json"], "no video yet, only the record")
            #expect(await server.stats().submitsAccepted == 1)

            let wrong = try await E2E.run(["download", id, "--dialect", "ltx-v2", "--api-base", base.deletingLastPathComponent().absoluteString, "--out", "out"], in: directory)
            #expect(wrong.status == 2 && wrong.stderr.contains("submitted with --dialect generations"), "\(wrong)")

            let downloaded = try await E2E.run(["download", id, "--json"] + api, in: directory)
            #expect(downloaded.status == 0, "\(downloaded)")
            let object = try downloaded.jsonObject()
            #expect(object["generation_id"] as? String == id)
            let verification = try #require(object["verification"] as? [String: Any])
            #expect(verification["passed"] as? Bool == true)
            let checks = try #require(verification["checks"] as? [[String: Any]])
            #expect(checks.contains { $0["name"] as? String == "resolution" }, "verified against the recorded request: \(checks)")
            let video = try #require(object["video"] as? [String: Any])
            let path = try #require(video["path"] as? String)
            let bytes = try Support.bytes(path.hasPrefix("/") ? path : directory + "/" + path)
            #expect(bytes.count == video["size"] as? Int && bytes.count > 1000)
            #expect(try Support.listing(directory + "/out") == ["\(id).mp4"], "the record goes once the video is verified")
            #expect(await server.stats().submitsAccepted == 1, "download never submits")
        }
    }
}
