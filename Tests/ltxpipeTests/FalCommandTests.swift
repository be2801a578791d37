import Foundation
import LTXSimulator
import Testing

/// fal as a user meets it through the binary: `FAL_KEY`, `api.dialect: fal` and `--dialect fal` against the
/// simulator's fal queue (served under `/fal`).
@Suite("fal through the binary", .serialized)
struct FalCommandTests {
    static let falKey = GenerateCommandTests.key

    /// The simulator's fal base for its `/v1` URL.
    static func falBase(_ v1: URL) -> String { v1.deletingLastPathComponent().absoluteString + "fal" }

    /// Runs the binary with `FAL_KEY` (and `LTX_API_KEY`) set as given and no `LTX_API_BASE`.
    static func run(_ arguments: [String], in directory: String, falKey: String? = FalCommandTests.falKey, ltxKey: String? = nil) async throws -> RunResult {
        try await Support.run(arguments, in: directory, variables: ["FAL_KEY": falKey, "LTX_API_KEY": ltxKey, "LTX_API_BASE": nil])
    }

    /// Every regular file under `folder`, as bytes, for leak checks.
    static func files(under folder: String) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var found: [(String, Data)] = []
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { found.append((name, data)) }
        }
        return found
    }

    @Test("run with dialect: fal turns a prompt and an image into verified bags naming fal's model ids; the key stays out of bags and ledger")
    func pipelineIntoVerifiedBags() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try GenerateCommandTests.writePipeline("falpipe", api: "{ base: \(Self.falBase(base)), dialect: fal }", in: directory)

            let withoutKey = try await Self.run(["run", "falpipe.yml", "--once", "--time-scale", "0.001"], in: directory, falKey: nil, ltxKey: Self.falKey)
            #expect(withoutKey.status == 3, "LTX_API_KEY is not fal's key: \(withoutKey)")
            #expect(withoutKey.stderr.contains("FAL_KEY is not set"))
            #expect(await server.stats().requests.submit == 0)

            let run = try await Self.run(["run", "falpipe.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 archived, 0 failed, 0 held"), "\(run)")
            let rows = try await Self.run(["jobs", "falpipe.yml", "--json"], in: directory).jsonArray()
            #expect(rows.allSatisfy { ($0["generation_id"] as? String ?? "").hasPrefix("fal-ai:ltx-2.3:") }, "\(rows)")
            #expect(rows.allSatisfy { $0["state"] as? String == "archived" })

            let verify = try await Self.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")
            let bagInfos = Support.bagInfos(in: FalCommandTests.files(under: directory + "/archive"))
            #expect(bagInfos.count == 2)
            #expect(bagInfos.allSatisfy { $0.contains("Dialect: fal") })
            #expect(bagInfos.contains { $0.contains("Provider-Model-Id: fal-ai/ltx-2.3/text-to-video/fast") && $0.contains("Mode: text-to-video") })
            #expect(bagInfos.contains { $0.contains("Provider-Model-Id: fal-ai/ltx-2.3/image-to-video/fast") && $0.contains("Mode: image-to-video") })
            #expect(bagInfos.allSatisfy { $0.contains("Estimated-Cost: 0.2400") }, "6 s at 1080p at fal's $0.04/s")

            let key = Data(Self.falKey.utf8)
            for (name, data) in Self.files(under: directory + "/archive") + Self.files(under: directory + "/state") {
                #expect(data.range(of: key) == nil, "the key is in \(name)")
            }
            #expect(!run.stdout.contains(Self.falKey) && !run.stderr.contains(Self.falKey))
            let stats = await server.stats()
            #expect(stats.submitsAccepted == 2 && stats.unauthorized == 0 && stats.authorizationOnDownloads == 0)
        }
    }

    @Test("generate --dialect fal: a refused key exits 3 naming FAL_KEY, a failed generation exits 1, an unservable size exits 2 before any call")
    func errorPaths() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let arguments = ["generate", "text-to-video", "--prompt", "a kite", "--dialect", "fal", "--api-base", Self.falBase(base),
                             "--time-scale", "0.001", "--out", "out"]
            let unservable = try await Self.run(arguments + ["--resolution", "1280x720"], in: directory)
            #expect(unservable.status == 2, "\(unservable)")
            #expect(unservable.stderr.contains("resolution 1280x720 is not one of"))
            let tooLong = try await Self.run(arguments + ["--resolution", "2560x1440", "--duration", "12"], in: directory)
            #expect(tooLong.status == 2 && tooLong.stderr.contains("above 10 s only at 1080p and 25 fps"), "\(tooLong)")
            #expect(await server.stats().requests.submit == 0)

            let wrongKey = try await Self.run(arguments, in: directory, falKey: "not-the-fal-key-3131")
            #expect(wrongKey.status == 3, "\(wrongKey)")
            #expect(wrongKey.stderr.contains("FAL_KEY") && !wrongKey.stderr.contains("not-the-fal-key-3131"))
            #expect(await server.stats().unauthorized == 1)

            await server.setFaults(FaultPlan(failedGenerations: 1))
            let failed = try await Self.run(arguments + ["--json"], in: directory)
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stderr.contains("the generation failed"), "\(failed)")
            #expect(!failed.stdout.contains(Self.falKey) && !failed.stderr.contains(Self.falKey))
        }
    }
}
