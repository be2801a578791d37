import Foundation
import LTXSimulator
import Testing

/// No silent changes to paid inputs, and job events posted to a webhook, through the binary: `--dry-run` fails as
/// the real run would, preflight says what it cuts before the submit, `fit: auto` keeps a portrait still portrait,
/// an empty prompt file fails its group, and `notify` posts one body per event without the key.
@Suite("paid inputs and notifications through the binary", .serialized)
struct PaidInputsCommandTests {
    typealias E2E = GenerateCommandTests

    /// The first line of `text` that contains `needle`, by index.
    static func line(of needle: String, in text: String) -> Int? {
        text.split(separator: "\n").firstIndex { $0.contains(needle) }
    }

    @Test func dryRunRefusesAMissingAndADamagedImageExactlyAsTheRealRunAndListsTheActionsOfAGoodOne() async throws {
        try await E2E.withSimulator { base, server, directory in
            let common = ["generate", "image-to-video", "--prompt", "a kite", "--api-base", E2E.v2(base), "--time-scale", "0.001", "--out", "out"]
            let missingDry = try await E2E.run(common + ["--image", "nope.jpg", "--dry-run"], in: directory)
            let missingReal = try await E2E.run(common + ["--image", "nope.jpg"], in: directory)
            #expect(missingDry.status == 2 && missingReal.status == 2, "\(missingDry) \(missingReal)")
            #expect(missingDry.stderr.contains("nope.jpg") && missingDry.stderr == missingReal.stderr, "\(missingDry) \(missingReal)")
            #expect(!missingDry.stdout.contains("would submit"), "\(missingDry)")

            let jpeg = try Data(contentsOf: URL(fileURLWithPath: Support.fixture("media/landscape-16x9.jpg")))
            try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: directory + "/torn.jpg"))
            let damagedDry = try await E2E.run(common + ["--image", "torn.jpg", "--dry-run"], in: directory)
            let damagedReal = try await E2E.run(common + ["--image", "torn.jpg"], in: directory)
            #expect(damagedDry.status == 2 && damagedReal.status == 2, "\(damagedDry) \(damagedReal)")
            #expect(damagedDry.stderr.contains("torn.jpg") && damagedDry.stderr == damagedReal.stderr, "\(damagedDry) \(damagedReal)")
            #expect(damagedDry.stderr.split(separator: "\n").count == 1, "one line: \(damagedDry)")

            let good = try await E2E.run(common + ["--image", Support.fixture("media/portrait-exif6.jpg"), "--fit", "crop", "--dry-run"], in: directory)
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.contains("would submit image-to-video") && good.stdout.contains("1920x1080"), "\(good)")
            #expect(good.stdout.contains("preflight: cropped: ") && good.stdout.contains("58 % of the picture cut away"), "\(good)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/out/preflight"), "a dry run writes nothing beside the video's folder")
            #expect(await server.stats().requests.submit == 0, "nothing reached the service")
        }
    }

    @Test func generatePrintsTheCropShareBeforeTheSubmitAndFitAutoKeepsAPortraitPortrait() async throws {
        try await E2E.withSimulator { base, server, directory in
            let image = Support.fixture("media/portrait-exif6.jpg")
            let common = ["generate", "image-to-video", "--prompt", "a kite", "--image", image, "--api-base", E2E.v2(base),
                          "--time-scale", "0.001", "--out", "out", "--no-wait"]
            let cropped = try await E2E.run(common + ["--fit", "crop"], in: directory)
            #expect(cropped.status == 0, "\(cropped)")
            let share = try #require(Self.line(of: "58 % of the picture cut away (480x270 of 480x640 kept)", in: cropped.stderr), "\(cropped)")
            let submitted = try #require(Self.line(of: "submitted; fetch the video", in: cropped.stderr), "\(cropped)")
            #expect(share < submitted, "the crop is announced before the money is spent: \(cropped.stderr)")

            let auto = try await E2E.run(common, in: directory)
            #expect(auto.status == 0, "\(auto)")
            #expect(auto.stderr.contains("fit auto: the start image is portrait") && auto.stderr.contains("1080x1920"), "\(auto)")
            #expect(auto.stderr.contains("25 % of the picture cut away"), "only the 3:4 to 9:16 difference is cropped: \(auto)")
            let id = auto.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let record = try String(contentsOfFile: directory + "/out/\(id).generation.json", encoding: .utf8)
            #expect(record.contains("1080x1920") || (record.contains("1080") && record.contains("1920")), "\(record)")
            #expect(await server.stats().submitsAccepted == 2)
        }
    }

    @Test func aPortraitStillBecomesA1080x1920JobAndAnEmptyPromptFileFailsItsGroup() async throws {
        // A 1080x1920 render can take a minute of real time on a loaded machine: at a time scale of 0.01 the
        // simulator keeps its result for 864 real seconds (24 h nominal), where 0.001 would let it expire.
        try await E2E.withSimulator({ $0.timeScale = 0.01 }) { base, server, directory in
            try E2E.writePipeline("stills", api: "{ base: \(E2E.v2(base)), dialect: ltx-v2 }", extra: "prompt: the pipeline's prompt\ndefaults: { duration: 2 }\n", in: directory)
            let still = try Data(contentsOf: URL(fileURLWithPath: Support.fixture("media/portrait-exif6.jpg")))
            try E2E.drop("tower.jpg", still, in: directory)
            try E2E.drop("blank.txt", Data(" \n\t\n".utf8), in: directory)
            let result = try await E2E.run(["run", "stills.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(result.status == 1, "the empty prompt fails: \(result)")
            #expect(result.stdout.contains("1 archived, 1 failed"), "\(result)")

            let note = try #require(Self.line(of: "tower: fit auto: the start image is portrait", in: result.stderr), "\(result.stderr)")
            let crop = try #require(Self.line(of: "tower: preflight cropped: ", in: result.stderr), "\(result.stderr)")
            let submit = try #require(Self.line(of: "tower: submitted as ", in: result.stderr), "\(result.stderr)")
            #expect(note < submit && crop < submit, "\(result.stderr)")
            #expect(result.stderr.contains("% of the picture cut away"), "\(result.stderr)")

            let rows = try await E2E.run(["jobs", "stills.yml", "--json"], in: directory).jsonArray()
            let tower = try #require(rows.first { $0["name"] as? String == "tower" })
            let bag = try #require(tower["bag"] as? String)
            let bagInfo = try String(contentsOfFile: bag + "/bag-info.txt", encoding: .utf8)
            #expect(bagInfo.contains("Resolution: 1080x1920"), "\(bagInfo)")
            #expect(bagInfo.contains("Model: ltx-2-3-fast"), "\(bagInfo)")

            let blank = try #require(rows.first { $0["name"] as? String == "blank" })
            #expect(blank["state"] as? String == "failed" && blank["reason"] as? String == "empty-prompt", "\(blank)")
            let error = try String(contentsOfFile: directory + "/failed/blank/error.json", encoding: .utf8)
            #expect(error.contains("blank.txt is empty"), "\(error)")
            #expect(await server.stats().submitsAccepted == 1, "the empty prompt was never paid for")
        }
    }

    @Test func webhookBodiesArriveForArchivedFailedAndHeldJobsWithoutTheKeyAndAFailedPostIsRetried() async throws {
        // The first post is answered 503: the notifier must try again.
        let receiver = try WebhookReceiver(statuses: [503])
        defer { receiver.stop() }
        try await E2E.withSimulator { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }",
                                  extra: "notify: { webhook: \"http://127.0.0.1:\(receiver.port)/hook\", on: [archived, failed] }\n", in: directory)
            try LivingCommandTests.drop("boat.txt", "a rowing boat", in: directory)
            await server.setFaults(FaultPlan(failedGenerations: 1))
            let result = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(result.stdout.contains("0 archived, 1 failed"), "\(result)")
            try LivingCommandTests.drop("kite.txt", "a red kite", in: directory)
            let second = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(second.stdout.contains("1 archived, 0 failed"), "\(second)")

            let posts = receiver.received
            #expect(posts.count == 3, "one 503, its retry, and the archived event: \(posts.map(\.requestLine))")
            #expect(posts.allSatisfy { $0.requestLine.hasPrefix("POST /hook ") && $0.headers["content-type"] == "application/json" })
            for post in posts {
                let text = String(decoding: post.body, as: UTF8.self) + post.headers.values.joined(separator: "\n")
                #expect(!text.contains(E2E.key), "the API key never leaves in a notification: \(text)")
            }
            let bodies = try posts.map { try #require(JSONSerialization.jsonObject(with: $0.body) as? [String: Any]) }
            #expect(bodies[0]["event"] as? String == "failed" && bodies[1]["event"] as? String == "failed", "\(bodies)")
            let failed = bodies[1]
            #expect(failed["name"] as? String == "boat" && failed["state"] as? String == "failed", "\(failed)")
            #expect((failed["reason"] as? String)?.isEmpty == false && (failed["job"] as? String)?.isEmpty == false, "\(failed)")
            #expect((failed["failed_folder"] as? String)?.hasSuffix("/failed/boat") == true, "\(failed)")
            let archived = bodies[2]
            #expect(archived["event"] as? String == "archived" && archived["name"] as? String == "kite", "\(archived)")
            let bag = try #require(archived["bag"] as? String)
            #expect(FileManager.default.fileExists(atPath: bag + "/bag-info.txt"), "the body names the bag: \(archived)")
            #expect((archived["cost"] as? Double ?? 0) > 0, "\(archived)")

            // A job held by the budget is posted once `on` names held.
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }",
                                  extra: "budget: { per_job: 0.01 }\nnotify: { webhook: \"http://127.0.0.1:\(receiver.port)/hook\", on: [held] }\n", in: directory)
            try LivingCommandTests.drop("swan.txt", "a swan", in: directory)
            let third = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(third.status == 3 && third.stdout.contains("1 held"), "\(third)")
            let held = try #require(receiver.received.dropFirst(3).first, "no held event posted")
            let heldBody = try #require(JSONSerialization.jsonObject(with: held.body) as? [String: Any])
            #expect(heldBody["event"] as? String == "held" && heldBody["name"] as? String == "swan", "\(heldBody)")
            #expect((heldBody["reason"] as? String)?.isEmpty == false && heldBody["estimated_cost"] is Double, "\(heldBody)")
            #expect(receiver.received.count == 4, "one body per event")
        }
    }

    @Test func aNotifyKeyWithAnUnknownEventIsRefusedAtStartNamingTheLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try E2E.writePipeline("bad", api: "{ base: simulator }", extra: "notify:\n  webhook: https://hooks.example.com/x\n  on: [archived, exploded]\n", in: directory)
        let result = try await E2E.run(["run", "bad.yml", "--once"], in: directory)
        #expect(result.status == 3, "a pipeline file error, as for every other key: \(result)")
        #expect(result.stderr.contains("bad.yml:11: notify.on: ") && result.stderr.contains("\"exploded\" is not an event"), "\(result)")
    }
}
