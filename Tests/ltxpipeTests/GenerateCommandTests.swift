import Foundation
import LTXSimulator
import Testing

/// `generate`, `status`, `run` and `jobs` run as a user would, against a simulator in the test process.
@Suite("generate, status, run and jobs through the binary", .serialized)
struct GenerateCommandTests {
    static let key = "e2e-secret-key-9d1c"

    /// Runs the binary to its end with `key` in `LTX_API_KEY` and no `LTX_API_BASE`.
    static func run(_ arguments: [String], in directory: String, key: String = GenerateCommandTests.key) async throws -> RunResult {
        try await Support.run(arguments, in: directory, variables: ["LTX_API_KEY": key, "LTX_API_BASE": nil])
    }

    /// The simulator's ltx-v2 base (its origin) for its `/v1` URL.
    static func v2(_ base: URL) -> String { base.deletingLastPathComponent().absoluteString }

    /// Writes `data` as `drop/NAME` in `directory` (the drop folder is made when missing).
    static func drop(_ name: String, _ data: Data, in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: directory + "/drop/" + name))
    }

    /// Writes `NAME.yml` in `directory`: folders drop/archive/failed/state beside it, `api` as given, no settle time,
    /// quick polls, plus any `extra` lines.
    static func writePipeline(_ name: String, api: String, extra: String = "", in directory: String) throws {
        let text = """
        name: \(name)
        drop: ./drop
        archive: ./archive
        failed: ./failed
        state: ./state
        api: \(api)
        settle_seconds: 0
        poll_seconds: 0.05

        """ + extra
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/\(name).yml"))
    }

    static func withSimulator(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }, _ body: (URL, SimulatorServer, String) async throws -> Void) async throws {
        var configuration = SimulatorConfiguration(apiKey: key, fastLatency: 5...5, timeScale: 0.001,
                                                   cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("e2e-cache-\(getpid())").path)
        configure(&configuration)
        let server = SimulatorServer(configuration: configuration)
        let base = try await server.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do { try await body(base, server, directory) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func generateDownloadsVerifiesAndPrintsTheResult() async throws {
        try await Self.withSimulator { base, server, directory in
            let result = try await Self.run(["generate", "text-to-video", "--prompt", "a kite", "--dialect", "generations", "--api-base", base.absoluteString,
                                       "--time-scale", "0.001", "--out", "out", "--json"], in: directory)
            #expect(result.status == 0, "\(result)")
            let object = try result.jsonObject()
            let video = try #require(object["video"] as? [String: Any])
            let path = try #require(video["path"] as? String)
            #expect(FileManager.default.fileExists(atPath: directory + "/" + path) || FileManager.default.fileExists(atPath: path))
            #expect((object["verification"] as? [String: Any])?["passed"] as? Bool == true)
            #expect(object["cost"] as? Double == 0.12)
            #expect(result.stderr.contains("completed"))
            #expect(!result.stdout.contains(Self.key) && !result.stderr.contains(Self.key))

            let id = try #require(object["generation_id"] as? String)
            let status = try await Self.run(["status", id, "--dialect", "generations", "--api-base", base.absoluteString, "--json"], in: directory)
            #expect(status.status == 0, "\(status)")
            #expect(try status.jsonObject()["state"] as? String == "completed")
            #expect(await server.stats().submitsAccepted == 1)
        }
    }

    @Test func exitCodesFollowTheContract() async throws {
        try await Self.withSimulator { base, server, directory in
            let args = ["generate", "text-to-video", "--prompt", "x", "--dialect", "generations", "--api-base", base.absoluteString, "--time-scale", "0.001", "--out", "out"]
            let wrongKey = try await Self.run(args, in: directory, key: "not-the-key-7777")
            #expect(wrongKey.status == 3, "\(wrongKey)")
            #expect(!wrongKey.stderr.contains("not-the-key-7777"))

            let invalid = try await Self.run(args + ["--model", "ltx-2-pro", "--duration", "30"], in: directory)
            #expect(invalid.status == 2)
            #expect(invalid.stderr.contains("duration 30 is outside 6–10 for ltx-2-pro"))

            let dryRun = try await Self.run(args + ["--dry-run", "--json"], in: directory)
            #expect(dryRun.status == 0)
            #expect(try dryRun.jsonObject()["estimated_cost"] as? Double == 0.12)
            #expect(await server.stats().requests.submit == 1, "only the wrong-key attempt reached the API")

            await server.setCredits(0)
            let broke = try await Self.run(args, in: directory)
            #expect(broke.status == 3, "\(broke)")

            await server.setCredits(100)
            await server.setFaults(FaultPlan(errorBurst: .init(status: .serverError, count: 2)))
            let down = try await Self.run(args, in: directory)
            #expect(down.status == 4, "\(down)")
            #expect(down.stderr.contains("waiting 300.0 s"))

            await server.setFaults(FaultPlan(resetAfterSubmit: 1))
            let uncertain = try await Self.run(args, in: directory)
            #expect(uncertain.status == 4, "\(uncertain)")
            #expect(uncertain.stderr.contains("not re-sent"))
        }
    }

    @Test func runAndJobsAgainstTheSimulator() async throws {
        try await Self.withSimulator { base, server, directory in
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            try Data("a rowing boat".utf8).write(to: URL(fileURLWithPath: directory + "/drop/boat.txt"))
            try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/drop/notes.docx"))
            try Self.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            let run = try await Self.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(run.status == 1, "one group fails, so exit 1: \(run)")
            #expect(run.stdout.contains("1 archived, 1 failed, 0 held"))
            let jobs = try await Self.run(["jobs", "e2e.yml", "--json"], in: directory)
            #expect(jobs.status == 0)
            let rows = try jobs.jsonArray()
            #expect(rows.count == 2)
            for key in ["id", "name", "mode", "state", "generation_id", "cost", "estimated_cost", "bag", "updated_at"] {
                #expect(rows.contains { $0[key] != nil }, "jobs --json lacks \(key)")
            }
            #expect(Set(rows.compactMap { $0["state"] as? String }) == ["archived", "failed"])
            #expect(rows.first { $0["state"] as? String == "failed" }?["reason"] as? String == "unsupported-file")
            let verify = try await Self.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")
            let broken = try await Self.run(["run", "missing.yml", "--once"], in: directory)
            #expect(broken.status == 3)
            #expect(await server.stats().submitsAccepted == 1)
        }
    }
}
