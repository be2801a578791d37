import Foundation
import LTXSimulator
import Testing

/// `ltxpipe run --once` on a hostile drop folder, as a user meets it (issue 10): it exits with the documented code,
/// every dropped entry ends in `failed/` or a bag, and `jobs` names each one.
@Suite("run --once on a hostile drop folder, through the binary", .serialized)
struct HostileRunCommandTests {
    @Test func everyEntryIsAccountedForAndTheRunExits() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let drop = directory + "/drop"
            try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
            #expect(mkfifo(drop + "/pipe.mp3", 0o644) == 0)
            try FileManager.default.createDirectory(atPath: drop + "/album", withIntermediateDirectories: true)
            let huge = drop + "/huge.txt"
            #expect(FileManager.default.createFile(atPath: huge, contents: Data("a".utf8)))
            #expect(truncate(huge, 256 * 1024 * 1024) == 0, "a sparse 256 MB prompt")
            try Data("one caf\u{E9}".utf8).write(to: URL(fileURLWithPath: drop + "/caf\u{E9}.txt"))
            try Data("two caf\u{E9}s".utf8).write(to: URL(fileURLWithPath: drop + "/cafe\u{301}.txt"))
            try GenerateCommandTests.writePipeline("hostile", api: "{ base: \(base.absoluteString) }", in: directory)
            let run = try await GenerateCommandTests.run(["run", "hostile.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(run.status == 1, "groups failed, none held: exit 1: \(run)")
            #expect(run.stdout.contains("2 archived, 3 failed, 0 held"), "\(run)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: drop).isEmpty)
            let jobs = try await GenerateCommandTests.run(["jobs", "hostile.yml", "--json"], in: directory)
            let rows = try jobs.jsonArray()
            // Keyed by the failed rows only: the two café names are equal as Swift strings.
            let failed = rows.filter { $0["state"] as? String == "failed" }
            let reasons = Dictionary(uniqueKeysWithValues: failed.compactMap { row in (row["name"] as? String).map { ($0, row["reason"] as? String ?? "") } })
            #expect(reasons["pipe.mp3"] == "unsupported-file" && reasons["album"] == "unsupported-file" && reasons["huge"] == "prompt-too-long", "\(reasons)")
            #expect(rows.filter { $0["state"] as? String == "archived" }.count == 2, "é and e+U+0301 are two jobs")
            #expect(await server.stats().submitsAccepted == 2)
        }
    }
}
