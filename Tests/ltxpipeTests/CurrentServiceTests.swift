import Foundation
import LTXSimulator
import Testing

/// api.ltx.video as it is in November 2026, as a user meets it through the binary: removed models refused locally,
/// unknown prices shown as unknown and held under a budget, catalog overrides picked up without a rebuild.
@Suite("the current api.ltx.video through the binary", .serialized)
struct CurrentServiceTests {
    @Test func aRemovedModelIsRefusedLocallyNamingItsReplacement() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let result = try await GenerateCommandTests.run(["generate", "text-to-video", "--prompt", "a kite", "--model", "ltx-2-fast",
                                                            "--api-base", GenerateCommandTests.v2(base), "--out", "out"], in: directory)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("ltx-2-fast") && result.stderr.contains("removed") && result.stderr.contains("ltx-2-3-fast"))
            #expect(await server.stats().requests.submit == 0)
        }
    }

    @Test func durationAutoLetsTheServicePickTheLengthAndVerificationRecordsIt() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            let arguments = ["generate", "text-to-video", "--prompt", "a kite", "--model", "ltx-2-5-fast", "--resolution", "1280x720",
                             "--fps", "24", "--duration", "auto", "--api-base", GenerateCommandTests.v2(base), "--time-scale", "0.001", "--out", "out"]
            let dryRun = try await GenerateCommandTests.run(arguments + ["--dry-run", "--json"], in: directory)
            #expect(dryRun.status == 0, "\(dryRun)")
            let plan = try dryRun.jsonObject()
            #expect(plan.keys.contains("duration") && plan["duration"] is NSNull)
            #expect(abs((plan["estimated_cost"] as? Double ?? 0) - 1.8) < 1e-9, "the most the service can charge: 20 s at 0.09 $/s")

            let result = try await GenerateCommandTests.run(arguments + ["--json"], in: directory)
            #expect(result.status == 0, "\(result)")
            let verification = try #require(try result.jsonObject()["verification"] as? [String: Any])
            let checks = (verification["checks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(checks.contains("fps") && checks.contains("frame_count_8n+1") && !checks.contains("duration"), "\(checks)")
            let measured = (verification["measured"] as? [String: Any])?["duration"] as? Double
            #expect((measured ?? 0) >= 2 && (measured ?? 0) <= 10.5, "the length the service picked is recorded: \(String(describing: measured))")

            let refused = try await GenerateCommandTests.run(["generate", "text-to-video", "--prompt", "a kite", "--model", "ltx-2-3-fast",
                                                             "--duration", "auto", "--api-base", GenerateCommandTests.v2(base), "--out", "out"], in: directory)
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("duration auto is not offered by ltx-2-3-fast"))
            #expect(await server.stats().requests.submit == 1, "only the ltx-2-5 request reached the service")
        }
    }

    @Test func audioToVideoWithAStartImageFollowsTheImagesOrientation() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            // Stored 4:3 landscape, shown as portrait (EXIF orientation 6): the service would follow the portrait.
            let image = Support.fixture("media/portrait-exif6.jpg"), audio = Support.fixture("media/voice-3s.wav")
            let result = try await GenerateCommandTests.run(["generate", "audio-to-video", "--prompt", "a singer", "--audio", audio,
                                                            "--image", image, "--api-base", GenerateCommandTests.v2(base), "--time-scale", "0.001",
                                                            "--out", "out", "--json"], in: directory)
            #expect(result.status == 0, "\(result)")
            let object = try result.jsonObject()
            let measured = ((object["verification"] as? [String: Any])?["measured"] as? [String: Any])
            #expect(measured?["width"] as? Int == 1080 && measured?["height"] as? Int == 1920, "\(String(describing: measured))")
            #expect((object["verification"] as? [String: Any])?["passed"] as? Bool == true)

            let landscape = try await GenerateCommandTests.run(["generate", "audio-to-video", "--prompt", "a singer", "--audio", audio,
                                                               "--image", Support.fixture("media/landscape-16x9.jpg"), "--api-base", GenerateCommandTests.v2(base),
                                                               "--dry-run", "--json"], in: directory)
            #expect(try landscape.jsonObject()["resolution"] as? String == "1920x1080", "\(landscape)")
            let generations = try await GenerateCommandTests.run(["generate", "audio-to-video", "--prompt", "x", "--audio", audio, "--image", image,
                                                                 "--dialect", "generations", "--api-base", base.absoluteString, "--dry-run"], in: directory)
            #expect(generations.status == 2 && generations.stderr.contains("takes no start image"), "\(generations)")
            #expect(await server.stats().requests.submit == 1)
        }
    }

    @Test func anUnknownPriceIsUnknownInTheDryRunAndAnOverrideFillsIt() async throws {
        try await GenerateCommandTests.withSimulator { _, server, directory in
            let arguments = ["generate", "text-to-video", "--prompt", "a kite", "--model", "ltx-2-5-fast", "--resolution", "1920x1080",
                             "--duration", "6", "--dry-run"]
            let text = try await GenerateCommandTests.run(arguments, in: directory)
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.contains("estimated cost: unknown") && text.stdout.contains("models.ltx-2-5-fast.prices.1080p"))
            let json = try await GenerateCommandTests.run(arguments + ["--json"], in: directory)
            let object = try json.jsonObject()
            #expect(object.keys.contains("estimated_cost") && object["estimated_cost"] is NSNull, "an unknown price is null, never 0: \(json.stdout)")

            try Data("models:\n  ltx-2-5-fast: { prices: { 1080p: 0.12 } }\n  ltx-2-7-fast: { like: ltx-2-3-fast }\n".utf8)
                .write(to: URL(fileURLWithPath: directory + "/prices.yml"))
            let filled = try await GenerateCommandTests.run(arguments + ["--json", "--catalog", "prices.yml"], in: directory)
            #expect(filled.status == 0, "\(filled)")
            #expect(abs((try filled.jsonObject()["estimated_cost"] as? Double ?? 0) - 0.72) < 1e-9)
            let newModel = try await GenerateCommandTests.run(["generate", "text-to-video", "--prompt", "x", "--model", "ltx-2-7-fast",
                                                              "--dry-run", "--catalog", "prices.yml"], in: directory)
            #expect(newModel.status == 0, "a model the service added after this release is usable from an override: \(newModel)")
            #expect(await server.stats().requests.submit == 0)
        }
    }

    @Test func anUnknownPriceUnderABudgetIsHeldNamingTheKeyToSet() async throws {
        try await GenerateCommandTests.withSimulator { base, server, directory in
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            try Data("a harbour at night".utf8).write(to: URL(fileURLWithPath: directory + "/drop/harbour.txt"))
            let jobSettings = "defaults: { model: ltx-2-5-fast, resolution: 1920x1080, duration: 6, fps: 24 }\nbudget: { per_job: 2.00 }\n"
            try GenerateCommandTests.writePipeline("budgeted", api: "{ base: \(GenerateCommandTests.v2(base)), dialect: ltx-v2 }", extra: jobSettings, in: directory)
            let run = try await GenerateCommandTests.run(["run", "budgeted.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(run.status == 3, "a held job exits 3: \(run)")
            let rows = try await GenerateCommandTests.run(["jobs", "budgeted.yml", "--json"], in: directory).jsonArray()
            #expect(rows.first?["reason"] as? String == "price-unknown")
            #expect((rows.first?["detail"] as? String ?? "").contains("models.ltx-2-5-fast.prices"))
            #expect(rows.first?["estimated_cost"] is NSNull)
            #expect(await server.stats().requests.submit == 0)

            try Data("models:\n  ltx-2-5-fast: { prices: { 1080p: 0.12 } }\n".utf8).write(to: URL(fileURLWithPath: directory + "/prices.yml"))
            try GenerateCommandTests.writePipeline("budgeted", api: "{ base: \(GenerateCommandTests.v2(base)), dialect: ltx-v2, catalog: ./prices.yml }",
                                                   extra: jobSettings, in: directory)
            // The held job is estimated again from the override at the next run; a new drop is priced from it too.
            try Data("a lighthouse at dusk".utf8).write(to: URL(fileURLWithPath: directory + "/drop/lighthouse.txt"))
            let second = try await GenerateCommandTests.run(["run", "budgeted.yml", "--once", "--time-scale", "0.001"], in: directory)
            let after = try await GenerateCommandTests.run(["jobs", "budgeted.yml", "--json"], in: directory).jsonArray()
            let lighthouse = after.first { $0["name"] as? String == "lighthouse" }
            #expect(lighthouse?["state"] as? String == "archived", "\(second)")
            #expect(abs((lighthouse?["cost"] as? Double ?? 0) - 0.72) < 1e-9, "the service reports no cost: the estimate is recorded")
            #expect(lighthouse?["cost_basis"] as? String == "estimate")
            #expect(after.first { $0["name"] as? String == "harbour" }?["state"] as? String == "archived", "the held job went on once its price was known")
            #expect(await server.stats().submitsAccepted == 2)
        }
    }
}
