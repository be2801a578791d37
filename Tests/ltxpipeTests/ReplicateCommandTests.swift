import Foundation
import LTXSimulator
import Testing

/// Replicate as a user meets it through the binary: `REPLICATE_API_TOKEN`, `api.dialect: replicate` and
/// `--dialect replicate` against the simulator's predictions API (served under `/replicate`).
@Suite("replicate through the binary", .serialized)
struct ReplicateCommandTests {
    static let token = GenerateCommandTests.key

    /// The simulator's Replicate base for its `/v1` URL.
    static func replicateBase(_ v1: URL) -> String { v1.deletingLastPathComponent().absoluteString + "replicate" }

    /// Runs the binary with the provider variables set as given (nil: unset) and no `LTX_API_BASE`.
    static func run(_ arguments: [String], in directory: String, variables: [String: String?]) async throws -> RunResult {
        try await Support.run(arguments, in: directory, variables: Support.onlyProviderVariables(variables))
    }

    @Test("run with dialect: replicate turns a prompt and an image into verified bags naming Replicate's models; LTX_API_KEY is not its token; the token stays out of archive and state")
    func pipelineIntoVerifiedBags() async throws {
        // Replicate's hour of retention is 3.6 s of real time at this scale: lengthened so a loaded machine cannot expire
        // an output between its poll and its download (expiry has tests of its own).
        try await GenerateCommandTests.withSimulator({ $0.replicateOutputLifetime = 1e9 }) { base, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try GenerateCommandTests.writePipeline("reppipe", api: "{ base: \(Self.replicateBase(base)), dialect: replicate }", in: directory)
            let arguments = ["run", "reppipe.yml", "--once", "--time-scale", "0.001"]

            let withoutToken = try await Self.run(arguments, in: directory, variables: ["LTX_API_KEY": Self.token])
            #expect(withoutToken.status == 3, "LTX_API_KEY is not Replicate's token: \(withoutToken)")
            #expect(withoutToken.stderr.contains("REPLICATE_API_TOKEN is not set"), "\(withoutToken)")
            #expect(await server.stats().requests.submit == 0)

            let run = try await Self.run(arguments, in: directory, variables: ["REPLICATE_API_TOKEN": Self.token])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 archived, 0 failed, 0 held"), "\(run)")
            let verify = try await Self.run(["archive", "verify", "archive"], in: directory, variables: [:])
            #expect(verify.status == 0, "\(verify)")
            let archived = FalCommandTests.files(under: directory + "/archive")
            let bagInfos = Support.bagInfos(in: archived)
            #expect(bagInfos.count == 2)
            #expect(bagInfos.allSatisfy { $0.contains("Dialect: replicate") && $0.contains("Provider-Model-Id: lightricks/ltx-2.3-fast") })
            #expect(bagInfos.contains { $0.contains("Mode: text-to-video") } && bagInfos.contains { $0.contains("Mode: image-to-video") })
            #expect(bagInfos.allSatisfy { !$0.contains("Estimated-Cost: 0") }, "an unknown price is never written as zero")

            let key = Data(Self.token.utf8)
            for (name, data) in archived + FalCommandTests.files(under: directory + "/state") {
                #expect(data.range(of: key) == nil, "the token is in \(name)")
            }
            #expect(!run.stdout.contains(Self.token) && !run.stderr.contains(Self.token))
            let stats = await server.stats()
            #expect(stats.submitsAccepted == 2 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
        }
    }

    @Test("generate --dialect replicate: a refused token exits 3 naming REPLICATE_API_TOKEN, a failed prediction exits 1, an unservable size exits 2 before any call; catalog --dialect replicate lists the model names")
    func errorPathsAndCatalog() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let arguments = ["generate", "text-to-video", "--prompt", "a kite", "--dialect", "replicate", "--api-base", Self.replicateBase(base),
                             "--time-scale", "0.001", "--out", "out"]
            let unservable = try await Self.run(arguments + ["--resolution", "1280x720"], in: directory, variables: ["REPLICATE_API_TOKEN": Self.token])
            #expect(unservable.status == 2 && unservable.stderr.contains("resolution 1280x720 is not one of"), "\(unservable)")
            #expect(await server.stats().requests.submit == 0)

            let wrong = try await Self.run(arguments, in: directory, variables: ["REPLICATE_API_TOKEN": "not-the-token-5150"])
            #expect(wrong.status == 3, "\(wrong)")
            #expect(wrong.stderr.contains("REPLICATE_API_TOKEN") && !wrong.stderr.contains("not-the-token-5150"), "\(wrong)")

            await server.setFaults(FaultPlan(failedGenerations: 1))
            let failed = try await Self.run(arguments, in: directory, variables: ["REPLICATE_API_TOKEN": Self.token])
            #expect(failed.status == 1 && failed.stderr.contains("the generation failed"), "\(failed)")

            let catalog = try await Self.run(["catalog", "--dialect", "replicate"], in: directory, variables: [:])
            #expect(catalog.status == 0, "\(catalog)")
            #expect(catalog.stdout.contains("text-to-video: lightricks/ltx-2.3-fast") && catalog.stdout.contains("1080x1920 (1080p 9:16)"), "\(catalog)")
        }
    }

    @Test("a prediction whose output Replicate already deleted (every poll answered after the hour) fails the job as output-lost: not held, not retried, never resubmitted")
    func lostOutputFailsTheJob() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            try Data("a kite over the dunes".utf8).write(to: URL(fileURLWithPath: directory + "/drop/kite.txt"))
            try GenerateCommandTests.writePipeline("lostpipe", api: "{ base: \(Self.replicateBase(base)), dialect: replicate }", in: directory)
            await server.setFaults(FaultPlan(slowResponses: 3700))
            let run = try await Self.run(["run", "lostpipe.yml", "--once", "--time-scale", "0.001"], in: directory, variables: ["REPLICATE_API_TOKEN": Self.token])
            #expect(run.stdout.contains("0 archived, 1 failed, 0 held"), "\(run)")
            let rows = try await Self.run(["jobs", "lostpipe.yml", "--json"], in: directory, variables: [:]).jsonArray()
            #expect(rows.first?["reason"] as? String == "output-lost", "\(rows)")
            #expect((rows.first?["detail"] as? String)?.contains("deletes outputs") == true, "\(rows)")
            #expect(await server.stats().requests.submit == 1)
        }
    }
}
