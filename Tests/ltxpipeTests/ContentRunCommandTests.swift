import Foundation
import LTXSimulator
import Testing

/// `ltxpipe run --once` meeting videos that are the right container but not what was paid for (issue 14), and a
/// stage that runs past `stage_timeout_seconds` (issue 10), through the binary against the simulator.
@Suite("content failures and stage timeouts in run, through the binary", .serialized)
struct ContentRunCommandTests {
    typealias E2E = GenerateCommandTests

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The smallest jobs ltx-v2 takes (1280x720, 2 s at 24 fps, 49 frames), verified in sampled mode: one run with a
    /// normal drop and one drop per content fault the simulator makes (a prompt marker each).
    @Test func eachContentFaultEndsInFailedWithTheVideoAndItsReportAndANormalJobIsArchived() async throws {
        try await E2E.withSimulator({ $0.timeScale = 0.01 }) { base, server, directory in
            try E2E.writePipeline("content", api: "{ base: \(E2E.v2(base)), dialect: ltx-v2 }",
                                  extra: "defaults: { model: ltx-2-3-fast, resolution: 1280x720, duration: 2, fps: 24 }\nverify: { mode: sampled }\n",
                                  in: directory)
            try E2E.drop("normal.txt", Data("a red kite over the sea".utf8), in: directory)
            try E2E.drop("black.txt", Data("a red kite [sim:black]".utf8), in: directory)
            try E2E.drop("frozen.txt", Data("a red kite [sim:frozen]".utf8), in: directory)
            try E2E.drop("quiet.txt", Data("a red kite [sim:silent]".utf8), in: directory)
            try E2E.drop("elsewhere.jpg", try Data(contentsOf: URL(fileURLWithPath: Support.fixture("media/landscape-16x9.jpg"))), in: directory)
            try E2E.drop("elsewhere.txt", Data("the hills at dusk [sim:other-image]".utf8), in: directory)
            try E2E.drop("speech.wav", try Data(contentsOf: URL(fileURLWithPath: Support.fixture("media/voice-3s.wav"))), in: directory)
            try E2E.drop("speech.txt", Data("a man talking [sim:other-audio]".utf8), in: directory)
            try E2E.drop("speech.json", Data(#"{"model": "ltx-2-3-pro", "resolution": "1920x1080"}"#.utf8), in: directory)

            let run = try await E2E.run(["run", "content.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(run.status == 1, "failed jobs, none held: \(run)")
            #expect(run.stdout.contains("1 archived, 5 failed, 0 held"), "\(run)")

            let expected = [("black", "black_frames"), ("frozen", "frozen_frames"), ("quiet", "sound"),
                            ("elsewhere", "start_image"), ("speech", "soundtrack_match")]
            for (name, check) in expected {
                let folder = directory + "/failed/" + name
                #expect(FileManager.default.fileExists(atPath: folder + "/video.mp4"), "\(name): the video is kept")
                let error = try Self.json(folder + "/error.json")
                #expect(error["reason"] as? String == "verification-failed", "\(name): \(error)")
                #expect((error["detail"] as? String)?.contains(check) == true, "\(name): \(error)")
                let report = try Self.json(folder + "/verification.json")
                #expect(report["mode"] as? String == "sampled")
                let failed = ((report["checks"] as? [[String: Any]]) ?? []).filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
                #expect(failed.contains(check), "\(name): \(failed)")
                #expect(!failed.contains("fps") && !failed.contains("resolution") && !failed.contains("frame_count_8n+1"), "\(name): only content fails: \(failed)")
            }
            let rows = try await E2E.run(["jobs", "content.yml", "--json"], in: directory).jsonArray()
            let normal = try #require(rows.first { $0["name"] as? String == "normal" })
            #expect(normal["state"] as? String == "archived", "\(normal)")
            let bag = try #require(normal["bag"] as? String)
            let verification = try Self.json(bag + "/data/verification.json")
            #expect(verification["passed"] as? Bool == true && verification["mode"] as? String == "sampled", "\(verification)")
            #expect(await server.stats().submitsAccepted == 6)
        }
    }

    /// A stage whose media reads run past `stage_timeout_seconds` is stopped, counted as an unended attempt, tried
    /// again, and after `poison_attempts` quarantined in `failed/` as `poison`; the run ends.
    @Test func aStageThatTimesOutIsQuarantinedAsPoisonAfterItsAttempts() async throws {
        try await E2E.withSimulator({ $0.timeScale = 0.01 }) { base, server, directory in
            try E2E.writePipeline("slow", api: "{ base: \(E2E.v2(base)), dialect: ltx-v2 }",
                                  extra: "defaults: { model: ltx-2-3-fast, resolution: 1280x720, duration: 2, fps: 24 }\npoison_attempts: 2\nstage_timeout_seconds: 0.001\n",
                                  in: directory)
            try E2E.drop("kite.txt", Data("a red kite over the sea".utf8), in: directory)
            let run = try await E2E.run(["run", "slow.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(run.status == 1, "\(run)")
            #expect(run.stdout.contains("0 archived, 1 failed, 0 held"), "\(run)")
            #expect(run.stderr.contains("kite: verify stopped: its media work ran past the 0.001 s stage timeout"), "\(run.stderr)")
            let error = try Self.json(directory + "/failed/kite/error.json")
            #expect(error["reason"] as? String == "poison", "\(error)")
            #expect(error["stage"] as? String == "verify", "\(error)")
            #expect((error["detail"] as? String)?.contains("started 2 times") == true, "\(error)")
            let rows = try await E2E.run(["jobs", "slow.yml", "--json"], in: directory).jsonArray()
            let id = try #require(rows.first?["id"] as? String)
            let shown = try await E2E.run(["jobs", "show", id, "--pipeline", "slow.yml", "--json"], in: directory)
            #expect(shown.stdout.components(separatedBy: "\"timeout\"").count - 1 == 2, "two timeouts recorded: \(shown.stdout)")
            #expect(await server.stats().submitsAccepted == 1, "a timeout never pays again")
        }
    }
}
