import Foundation
import LTXSimulator
import Testing

/// WaveSpeed AI as a user meets it through the binary: `WAVESPEED_API_KEY`, `api.dialect: wavespeed` and
/// `--dialect wavespeed` against the simulator's v3 API (served under `/wavespeed`).
@Suite("wavespeed through the binary", .serialized)
struct WaveSpeedCommandTests {
    static let key = GenerateCommandTests.key

    static func base(_ v1: URL) -> String { v1.deletingLastPathComponent().absoluteString + "wavespeed" }

    @Test("run with dialect: wavespeed turns a prompt and an uploaded image into verified bags naming WaveSpeed's paths and price; LTX_API_KEY is not its key; the key stays out of archive and state")
    func pipelineIntoVerifiedBags() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try GenerateCommandTests.writePipeline("wspipe", api: "{ base: \(Self.base(base)), dialect: wavespeed }",
                                                   extra: "defaults: { model: ltx-2-fast }\n", in: directory)
            let arguments = ["run", "wspipe.yml", "--once", "--time-scale", "0.001"]

            let withoutKey = try await ReplicateCommandTests.run(arguments, in: directory, variables: ["LTX_API_KEY": Self.key])
            #expect(withoutKey.status == 3 && withoutKey.stderr.contains("WAVESPEED_API_KEY is not set"), "\(withoutKey)")
            #expect(await server.stats().requests.submit == 0)

            let run = try await ReplicateCommandTests.run(arguments, in: directory, variables: ["WAVESPEED_API_KEY": Self.key])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 archived, 0 failed, 0 held"), "\(run)")
            let verify = try await ReplicateCommandTests.run(["archive", "verify", "archive"], in: directory, variables: [:])
            #expect(verify.status == 0, "\(verify)")
            let archived = FalCommandTests.files(under: directory + "/archive")
            let bagInfos = Support.bagInfos(in: archived)
            #expect(bagInfos.count == 2)
            #expect(bagInfos.allSatisfy { $0.contains("Dialect: wavespeed") && $0.contains("Estimated-Cost: 0.2400") }, "\(bagInfos)")
            #expect(bagInfos.contains { $0.contains("Provider-Model-Id: lightricks/ltx-2-fast/text-to-video") })
            #expect(bagInfos.contains { $0.contains("Provider-Model-Id: lightricks/ltx-2-fast/image-to-video") })

            let key = Data(Self.key.utf8)
            for (name, data) in archived + FalCommandTests.files(under: directory + "/state") {
                #expect(data.range(of: key) == nil, "the key is in \(name)")
            }
            #expect(!run.stdout.contains(Self.key) && !run.stderr.contains(Self.key))
            let stats = await server.stats()
            #expect(stats.submitsAccepted == 2 && stats.uploads == 1 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
        }
    }

    @Test("generate --dialect wavespeed: portrait or 50 fps exits 2 before any call, a refused key exits 3 naming WAVESPEED_API_KEY; catalog --dialect wavespeed lists the paths")
    func errorPathsAndCatalog() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let arguments = ["generate", "text-to-video", "--prompt", "a kite", "--dialect", "wavespeed", "--api-base", Self.base(base),
                             "--model", "ltx-2-fast", "--time-scale", "0.001", "--out", "out"]
            let portrait = try await ReplicateCommandTests.run(arguments + ["--resolution", "1080x1920"], in: directory, variables: ["WAVESPEED_API_KEY": Self.key])
            #expect(portrait.status == 2 && portrait.stderr.contains("resolution 1080x1920 is not one of"), "\(portrait)")
            let fast = try await ReplicateCommandTests.run(arguments + ["--fps", "50"], in: directory, variables: ["WAVESPEED_API_KEY": Self.key])
            #expect(fast.status == 2, "\(fast)")
            #expect(await server.stats().requests.submit == 0)

            let wrong = try await ReplicateCommandTests.run(arguments, in: directory, variables: ["WAVESPEED_API_KEY": "not-the-key-8080"])
            #expect(wrong.status == 3 && wrong.stderr.contains("WAVESPEED_API_KEY") && !wrong.stderr.contains("not-the-key-8080"), "\(wrong)")

            let catalog = try await ReplicateCommandTests.run(["catalog", "--dialect", "wavespeed"], in: directory, variables: [:])
            #expect(catalog.status == 0 && catalog.stdout.contains("image-to-video: lightricks/ltx-2-fast/image-to-video"), "\(catalog)")
        }
    }
}
