import Foundation
import LTXSimulator
import Testing

/// APIFree as a user meets it through the binary: `APIFREE_API_KEY`, `api.dialect: apifree` and `--dialect apifree`
/// against the simulator's video API (served under `/apifree`).
@Suite("apifree through the binary", .serialized)
struct APIFreeCommandTests {
    static let key = GenerateCommandTests.key

    static func base(_ v1: URL) -> String { v1.deletingLastPathComponent().absoluteString + "apifree" }

    @Test("run with dialect: apifree turns a prompt and an image into verified 1280x720 bags; LTX_API_KEY is not its key; the key stays out of archive and state; generate refuses 25 fps before any call; catalog --dialect apifree lists the model values")
    func pipelineIntoVerifiedBags() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try GenerateCommandTests.writePipeline("afpipe", api: "{ base: \(Self.base(base)), dialect: apifree }",
                                                   extra: "defaults: { model: ltx-2-3-fast, resolution: 1280x720, fps: 24 }\n", in: directory)
            let arguments = ["run", "afpipe.yml", "--once", "--time-scale", "0.001"]

            let withoutKey = try await ReplicateCommandTests.run(arguments, in: directory, variables: ["LTX_API_KEY": Self.key])
            #expect(withoutKey.status == 3 && withoutKey.stderr.contains("APIFREE_API_KEY is not set"), "\(withoutKey)")
            #expect(await server.stats().requests.submit == 0)

            let run = try await ReplicateCommandTests.run(arguments, in: directory, variables: ["APIFREE_API_KEY": Self.key])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 archived, 0 failed, 0 held"), "\(run)")
            let verify = try await ReplicateCommandTests.run(["archive", "verify", "archive"], in: directory, variables: [:])
            #expect(verify.status == 0, "\(verify)")
            let archived = FalCommandTests.files(under: directory + "/archive")
            let bagInfos = Support.bagInfos(in: archived)
            #expect(bagInfos.count == 2)
            #expect(bagInfos.allSatisfy { $0.contains("Dialect: apifree") && $0.contains("Provider-Model-Id: ltx-2-3-fast") }, "\(bagInfos)")

            let key = Data(Self.key.utf8)
            for (name, data) in archived + FalCommandTests.files(under: directory + "/state") {
                #expect(data.range(of: key) == nil, "the key is in \(name)")
            }
            #expect(!run.stdout.contains(Self.key) && !run.stderr.contains(Self.key))

            let generate = ["generate", "text-to-video", "--prompt", "a kite", "--dialect", "apifree", "--api-base", Self.base(base),
                            "--resolution", "1280x720", "--fps", "25", "--time-scale", "0.001", "--out", "out"]
            let refused = try await ReplicateCommandTests.run(generate, in: directory, variables: ["APIFREE_API_KEY": Self.key])
            #expect(refused.status == 2 && refused.stderr.contains("fps 25 is not one of 24"), "\(refused)")
            #expect(await server.stats().requests.submit == 2)

            let catalog = try await ReplicateCommandTests.run(["catalog", "--dialect", "apifree"], in: directory, variables: [:])
            #expect(catalog.status == 0 && catalog.stdout.contains("image-to-video: ltx-2-3-pro"), "\(catalog)")
        }
    }
}
