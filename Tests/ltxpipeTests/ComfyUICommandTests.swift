import Foundation
import LTXAPI
import LTXMedia
import LTXSimulator
import Testing

/// ComfyUI as a user meets it through the binary: `api.dialect: comfyui` with the shipped test workflows against the
/// simulator's ComfyUI (served under `/comfyui`), a killed run, a restarted ComfyUI and a workflow with a missing model.
@Suite("comfyui through the binary", .serialized)
struct ComfyUICommandTests {
    static let workflows = Support.repoRoot.appendingPathComponent("workflows").path

    /// The simulator's ComfyUI base for its `/v1` URL.
    static func comfyBase(_ v1: URL) -> String { v1.deletingLastPathComponent().absoluteString + "comfyui" }

    /// The simulated ComfyUI's counters.
    static func stats(_ v1: URL) async throws -> [String: Int] {
        let url = try #require(URL(string: v1.deletingLastPathComponent().absoluteString + "_simulator/comfyui/stats"))
        let response = try await HTTPClient().send(HTTPRequest(method: "GET", url: url))
        return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Int])
    }

    static func writePipeline(_ v1: URL, in directory: String, textToVideo: String = workflows + "/test-text-to-video.json",
                              resolution: String = "512x288", duration: Int = 1, extra: String = "") throws {
        try GenerateCommandTests.writePipeline("comfy", api: """
            { base: \(Self.comfyBase(v1)), dialect: comfyui, workflow: { text-to-video: \(textToVideo), image-to-video: \(Self.workflows)/test-image-to-video.json } }
            """, extra: """
            defaults: { model: ltx-2-3, resolution: \(resolution), duration: \(duration), fps: 24 }
            verify: { mode: deep, content: { frozen: { max_share: 1.0 } } }
            poison_attempts: 100

            """ + extra, in: directory)
    }

    static func launch(_ arguments: [String], in directory: String) throws -> Process {
        let process = Support.process(arguments, in: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for `process` to exit while moving the simulators' time forward (100 simulated seconds every 50 ms real):
    /// with their time otherwise standing still, what each ComfyUI holds when is decided by the test, not by the machine's load.
    static func exit(of process: Process, advancing servers: [SimulatorServer]) async {
        let mover = Task {
            while !Task.isCancelled {
                for server in servers { await server.advanceTime(by: 100) }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        await ProcessWaiting.exit(of: process)
        mover.cancel()
    }

    /// Waits (sleeping, never blocking a thread) until the simulated ComfyUI has accepted `count` prompts.
    static func waitForPrompts(_ count: Int, _ v1: URL) async throws {
        for _ in 0..<3000 {
            if (try await Self.stats(v1)["prompts_accepted"] ?? 0) >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("ComfyUI never saw \(count) prompts")
    }

    @Test("run with dialect: comfyui turns a prompt and an image into verified bags: a 1080p job renders and is verified at 1920x1088, the bag keeps the workflow with its bound values, nothing is charged")
    func pipelineIntoVerifiedBags() async throws {
        try await GenerateCommandTests.withSimulator { v1, _, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try Self.writePipeline(v1, in: directory, resolution: "1920x1080")
            let run = try await GenerateCommandTests.run(["run", "comfy.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 archived, 0 failed, 0 held"), "\(run)")
            let verify = try await GenerateCommandTests.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")

            let rows = try await GenerateCommandTests.run(["jobs", "comfy.yml", "--json"], in: directory).jsonArray()
            #expect(rows.count == 2 && rows.allSatisfy { $0["state"] as? String == "archived" && ($0["cost"] as? Double) == 0 }, "\(rows)")
            #expect(rows.allSatisfy { ($0["generation_id"] as? String).map { UUID(uuidString: $0) != nil && $0 == $0.lowercased() } == true })
            let files = FalCommandTests.files(under: directory + "/archive")
            let bagInfos = Support.bagInfos(in: files)
            #expect(bagInfos.count == 2 && bagInfos.allSatisfy { $0.contains("Dialect: comfyui") && $0.contains("Resolution: 1920x1080") })
            for (name, data) in files where name.hasSuffix("verification.json") {
                let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let checks = try #require(object["checks"] as? [[String: Any]])
                let resolution = try #require(checks.first { $0["name"] as? String == "resolution" })
                #expect(resolution["expected"] as? String == "1920x1088" && resolution["actual"] as? String == "1920x1088" && resolution["passed"] as? Bool == true)
            }
            let responses = files.filter { $0.0.hasSuffix("response.json") }.map { String(decoding: $0.1, as: UTF8.self) }
            #expect(responses.count == 2 && responses.allSatisfy { $0.contains("\"height\":1088") && $0.contains("\"width\":1920") }, "\(responses)")
            #expect(responses.contains { $0.contains("\"class_type\":\"LoadImage\"") && $0.contains("\"image\":\"ltxpipe-") })
            let stats = try await Self.stats(v1)
            #expect(stats["prompts_accepted"] == 2)
        }
    }

    @Test("deliver: exact: a 1080p request rendered 1920x1088 is delivered cropped to 1920x1080 and verified at that size, the render kept in the bag as rendered.mp4 with both sizes and hashes in bag-info")
    func deliverExactCropsToTheRequestedSize() async throws {
        try await GenerateCommandTests.withSimulator { v1, _, directory in
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            try Data("a kite over the dunes".utf8).write(to: URL(fileURLWithPath: directory + "/drop/kite.txt"))
            try Self.writePipeline(v1, in: directory, resolution: "1920x1080", extra: "deliver: exact\n")
            let run = try await GenerateCommandTests.run(["run", "comfy.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("1 archived, 0 failed, 0 held"), "\(run)")
            #expect((run.stdout + run.stderr).contains("deliver exact: 1920x1088 → 1920x1080, 8 rows removed; the render is kept as rendered.mp4"), "\(run)")
            let archiveCheck = try await GenerateCommandTests.run(["archive", "verify", "archive"], in: directory)
            #expect(archiveCheck.status == 0, "\(archiveCheck)")

            let files = FalCommandTests.files(under: directory + "/archive")
            let delivered = try #require(files.first { $0.0.hasSuffix("data/video.mp4") }).0
            let rendered = try #require(files.first { $0.0.hasSuffix("data/rendered.mp4") }).0
            // 1 s at 24 fps: 8·⌊24/8⌋ + 1 = 25 frames, in the render and in the crop.
            for (file, size) in [(delivered, "1920x1080"), (rendered, "1920x1088")] {
                let check = try await GenerateCommandTests.run(["verify", "archive/" + file, "--resolution", size, "--fps", "24", "--duration", "1",
                                                                "--deep", "--json"], in: directory)
                #expect(check.status == 0, "\(file): \(check)")
                let report = try #require(try check.jsonArray().first)
                let measured = try #require(report["measured"] as? [String: Any])
                #expect(measured["width"] as? Int == 1920 && measured["height"] as? Int == Int(size.suffix(4)) && measured["frames"] as? Int == 25, "\(measured)")
            }
            let wrongSize = try await GenerateCommandTests.run(["verify", "archive/" + delivered, "--resolution", "1920x1088"], in: directory)
            #expect(wrongSize.status != 0, "\(wrongSize)")

            let info = try #require(Support.bagInfos(in: files).first)
            let manifest = String(decoding: try #require(files.first { $0.0.hasSuffix("manifest-sha256.txt") && !$0.0.hasSuffix("tagmanifest-sha256.txt") }).1, as: UTF8.self)
            let digest = { (name: String) in manifest.split(separator: "\n").first { $0.hasSuffix(" data/" + name) }.map { String($0.prefix(64)) } ?? "none" }
            #expect(info.contains("Resolution: 1920x1080") && info.contains("Rendered-Size: 1920x1088") && info.contains("Delivered-Size: 1920x1080"), "\(info)")
            #expect(info.contains("Rendered-SHA256: \(digest("rendered.mp4"))") && info.contains("Delivered-SHA256: \(digest("video.mp4"))")
                    && info.contains("Video-SHA256: \(digest("video.mp4"))"), "\(info)\n\(manifest)")
            #expect(digest("video.mp4") != digest("rendered.mp4"))
            // The sheet and poster show the delivered crop (made on its deep check), not the render.
            let sheet = try #require(files.first { $0.0.hasSuffix("data/contact-sheet.jpg") }).1
            let poster = try #require(files.first { $0.0.hasSuffix("data/poster.jpg") }).1
            let ofCrop = try ContactSheet.make(fromVideo: directory + "/archive/" + delivered)
            #expect(Array(sheet) == ofCrop.jpeg && Array(poster) == ofCrop.poster)
            #expect(Array(sheet) != (try ContactSheet.make(fromVideo: directory + "/archive/" + rendered)).jpeg)
        }
    }

    @Test("a workflow whose model file the server lacks: the run holds every job, sends nothing more, exits 3, and says which node and which file")
    func missingModelRefused() async throws {
        try await GenerateCommandTests.withSimulator { v1, _, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try FileManager.default.removeItem(atPath: directory + "/drop/harbour.jpg")
            try Data("a lantern".utf8).write(to: URL(fileURLWithPath: directory + "/drop/lantern.txt"))
            let text = try String(contentsOfFile: Self.workflows + "/ltx-2.3-text-to-video.json", encoding: .utf8)
            try text.replacingOccurrences(of: "gemma_3_12B_it.safetensors", with: "gemma_3_27B_it.safetensors")
                .write(toFile: directory + "/ltx.json", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: Self.workflows + "/ltx-2.3-text-to-video.bindings.json", toPath: directory + "/ltx.bindings.json")
            try Self.writePipeline(v1, in: directory, textToVideo: directory + "/ltx.json")
            let run = try await GenerateCommandTests.run(["run", "comfy.yml", "--once", "--time-scale", "0.01"], in: directory)
            #expect(run.status == 3, "\(run)")
            #expect(run.stderr.contains("node 2 (LTXAVTextEncoderLoader)") && run.stderr.contains("gemma_3_27B_it.safetensors"), "\(run)")
            let rows = try await GenerateCommandTests.run(["jobs", "comfy.yml", "--json"], in: directory).jsonArray()
            #expect(rows.count == 3 && rows.allSatisfy { $0["state"] as? String == "held" }, "\(rows)")
            let stats = try await Self.stats(v1)
            #expect(stats["prompts_accepted"] == 0)
        }
    }

    @Test("a run SIGKILLed after ComfyUI took its prompts: the next run follows them by their recorded or re-derived prompt_id; every job archived, none rendered twice")
    func killedRunLosesNothing() async throws {
        // Simulated time stands still (1000 real seconds per simulated one) until the second run moves it.
        try await GenerateCommandTests.withSimulator({ $0.timeScale = 1000 }) { v1, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try Self.writePipeline(v1, in: directory, duration: 4)
            let killed = try Self.launch(["run", "comfy.yml", "--time-scale", "0.01"], in: directory)
            try await Self.waitForPrompts(2, v1)
            kill(killed.processIdentifier, SIGKILL)
            await ProcessWaiting.exit(of: killed)
            #expect(killed.terminationReason == .uncaughtSignal)
            let process = try Self.launch(["run", "comfy.yml", "--once", "--time-scale", "0.01"], in: directory)
            await Self.exit(of: process, advancing: [server])
            #expect(process.terminationStatus == 0)
            let rows = try await GenerateCommandTests.run(["jobs", "comfy.yml", "--json"], in: directory).jsonArray()
            #expect(rows.count == 2 && rows.allSatisfy { $0["state"] as? String == "archived" }, "\(rows)")
            let stats = try await Self.stats(v1)
            #expect(stats["prompts_accepted"] == 2 && stats["executions"] == 2, "\(stats)")
            let verify = try await GenerateCommandTests.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")
        }
    }

    @Test("ComfyUI restarted while it holds the run's prompts (queue and history forgotten): the run queues them again and archives every job")
    func restartLosesNothing() async throws {
        // Simulated time stands still until the restart, so both prompts are in ComfyUI's memory when it forgets them.
        try await GenerateCommandTests.withSimulator({ $0.timeScale = 1000 }) { v1, server, directory in
            try Support.dropPromptAndImage(into: directory + "/drop")
            try Self.writePipeline(v1, in: directory, duration: 4)
            let process = try Self.launch(["run", "comfy.yml", "--once", "--time-scale", "0.01"], in: directory)
            try await Self.waitForPrompts(2, v1)
            let restart = try #require(URL(string: v1.deletingLastPathComponent().absoluteString + "_simulator/comfyui/restart"))
            #expect(try await HTTPClient().send(HTTPRequest(method: "POST", url: restart)).status == 200)
            await Self.exit(of: process, advancing: [server])
            #expect(process.terminationStatus == 0)
            let rows = try await GenerateCommandTests.run(["jobs", "comfy.yml", "--json"], in: directory).jsonArray()
            #expect(rows.count == 2 && rows.allSatisfy { $0["state"] as? String == "archived" }, "\(rows)")
            let stats = try await Self.stats(v1)
            #expect(stats["restarts"] == 1 && stats["prompts_accepted"] == 4 && stats["executions"] == 2, "both forgotten prompts queued again, each rendered once: \(stats)")
            let show = try await GenerateCommandTests.run(["jobs", "comfy.yml", "--json"], in: directory)
            #expect(show.status == 0)
        }
    }

    @Test("a pool of three ComfyUI servers, one stopped mid-run: each job goes to a server that answers, the stopped one's jobs are queued again elsewhere, every job is archived and names the server that made it")
    func poolSurvivesADeadServer() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-cache-\(getpid())").path
        // Simulated time stands still on every server until the test moves it, so the six jobs spread two to a server and
        // the second server's are unfinished when it stops.
        let servers = (0..<3).map { _ in SimulatorServer(configuration: SimulatorConfiguration(apiKey: "pool", timeScale: 1000, cacheDirectory: cache)) }
        var bases: [URL] = []
        for server in servers { bases.append(try await server.start()) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for index in 0..<6 { try Data("lantern number \(index)".utf8).write(to: URL(fileURLWithPath: directory + "/drop/lantern\(index).txt")) }
        let list = bases.map(Self.comfyBase).joined(separator: ", ")
        try GenerateCommandTests.writePipeline("pool", api: """
            { base: \(Self.comfyBase(bases[0])), dialect: comfyui, servers: [\(list)], workflow: { text-to-video: \(Self.workflows)/test-text-to-video.json } }
            """, extra: """
            defaults: { model: ltx-2-3, resolution: 512x288, duration: 4, fps: 24 }
            verify: { mode: deep, content: { frozen: { max_share: 1.0 } } }
            poison_attempts: 100

            """, in: directory)
        let process = try Self.launch(["run", "pool.yml", "--once", "--time-scale", "0.01"], in: directory)
        for base in bases { try await Self.waitForPrompts(2, base) }
        let taken = try await Self.stats(bases[1])["prompts_accepted"] ?? 0
        await servers[1].stop()
        await Self.exit(of: process, advancing: [servers[0], servers[2]])
        #expect(process.terminationStatus == 0)
        let rows = try await GenerateCommandTests.run(["jobs", "pool.yml", "--json"], in: directory).jsonArray()
        #expect(rows.count == 6 && rows.allSatisfy { $0["state"] as? String == "archived" }, "\(rows)")
        let keys = bases.map { ComfyUIDialect.serverKey($0) }
        let made = rows.compactMap { $0["generation_id"] as? String }.map { String($0.dropLast(37)) }
        #expect(made.count == 6 && made.allSatisfy { keys.contains($0) }, "\(made)")
        #expect(taken == 2 && !made.contains(keys[1]), "the stopped server took \(taken) prompt(s); they were made elsewhere: \(made)")
        let verify = try await GenerateCommandTests.run(["archive", "verify", "archive"], in: directory)
        #expect(verify.status == 0, "\(verify)")
        let infos = Support.bagInfos(in: FalCommandTests.files(under: directory + "/archive"))
        #expect(infos.count == 6 && infos.allSatisfy { info in keys.contains { info.contains("Generation-Id: \($0):") } })
        await servers[0].stop()
        await servers[2].stop()
    }
}
