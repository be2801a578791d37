import Foundation
import LTXPipeline
import LTXSimulator
import Testing

/// `api.providers` through the binary: each provider is a simulator of its own (its own key, faults and books), so
/// the requests each one saw and what each one charged are asserted apart.
@Suite("Providers, routing and fallback through the binary", .serialized)
struct ProviderRoutingCommandTests {
    static let falKey = "routing-fal-key"
    static let ltxKey = "routing-ltx-key"
    static let replicateKey = "routing-replicate-key"

    /// The keys of every provider, each only in its own variable, and no `LTX_API_BASE`.
    static let variables: [String: String?] = ["FAL_KEY": falKey, "LTX_API_KEY": ltxKey, "REPLICATE_API_TOKEN": replicateKey, "LTX_API_BASE": nil]

    /// Starts one simulator per key, runs `body` with their `/v1` URLs and a fresh folder, then stops them.
    static func withSimulators(_ configurations: [SimulatorConfiguration], _ body: ([URL], [SimulatorServer], String) async throws -> Void) async throws {
        var servers: [SimulatorServer] = []
        var bases: [URL] = []
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString)").path
        do {
            for configuration in configurations {
                let server = SimulatorServer(configuration: configuration)
                bases.append(try await server.start())
                servers.append(server)
            }
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            try await body(bases, servers, directory)
        } catch {
            for server in servers { await server.stop() }
            throw error
        }
        for server in servers { await server.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func simulator(key: String, scale: Double, faults: FaultPlan = FaultPlan()) -> SimulatorConfiguration {
        SimulatorConfiguration(apiKey: key, fastLatency: 5...15, timeScale: scale, faults: faults,
                               cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("routing-cache-\(getpid())").path)
    }

    /// The simulator's base for `provider` under its `/v1` URL.
    static func base(_ v1: URL, _ provider: String) -> String {
        let root = v1.deletingLastPathComponent().absoluteString
        return provider == "ltx-v2" ? String(root.dropLast()) : root + provider
    }

    static func writePipeline(_ providers: [(name: String, base: String, extra: String)], routing: String, in directory: String) throws {
        let list = providers.map { "    - { provider: \($0.name), base: \($0.base)\($0.extra) }" }.joined(separator: "\n")
        let text = """
        name: routing
        drop: ./drop
        archive: ./archive
        failed: ./failed
        state: ./state
        api:
          providers:
        \(list)
        \(routing)
        defaults: { model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 25 }
        settle_seconds: 0
        poll_seconds: 0.05
        verify: { mode: quick }
        poison_attempts: 100

        """
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/routing.yml"))
    }

    static func drop(_ name: String, prompt: String, sidecar: String? = nil, in directory: String) throws {
        try Data(prompt.utf8).write(to: URL(fileURLWithPath: directory + "/drop/\(name).txt"))
        if let sidecar { try Data(sidecar.utf8).write(to: URL(fileURLWithPath: directory + "/drop/\(name).json")) }
    }

    static func launch(_ arguments: [String], in directory: String) throws -> Process {
        let process = Support.process(arguments, in: directory, variables: variables)
        process.standardOutput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: directory + "/stderr.log") {
            _ = FileManager.default.createFile(atPath: directory + "/stderr.log", contents: nil)
        }
        let log = FileHandle(forWritingAtPath: directory + "/stderr.log")
        _ = try log?.seekToEnd()
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the binary to its end with every provider's key.
    static func run(_ arguments: [String], in directory: String) async throws -> RunResult {
        try await Support.run(arguments, in: directory, variables: variables)
    }

    @Test("fallback: fal answers 503 to everything; every job ends archived on ltx-v2, paid once, and the ledger names both providers")
    func fallbackMovesRefusedJobsToTheNextProvider() async throws {
        let scale = 0.001
        let down = FaultPlan(errorBurst: .init(status: .unavailable, count: 100_000, retryAfter: 5))
        try await Self.withSimulators([Self.simulator(key: Self.falKey, scale: scale, faults: down), Self.simulator(key: Self.ltxKey, scale: scale)]) { bases, servers, directory in
            try Self.writePipeline([("fal", Self.base(bases[0], "fal"), ""), ("ltx-v2", Self.base(bases[1], "ltx-v2"), "")],
                                   routing: "  fallback: true", in: directory)
            let prompts = ["a red kite over the sea", "a lighthouse at dusk", "rain on a tin roof"]
            for (index, prompt) in prompts.enumerated() { try Self.drop("job\(index)", prompt: prompt, in: directory) }

            let run = try await Self.run(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            #expect(run.status == 0, "\(run)")
            let fal = await servers[0].stats(), ltx = await servers[1].stats()
            #expect(fal.requests.submit >= 7, "fal saw the first submit and its 6 retries: \(fal.requests.submit)")
            #expect(fal.submitsAccepted == 0 && fal.costCharged == 0)
            #expect(ltx.submitsAccepted == 3)
            for prompt in prompts { #expect(ltx.submitsByPrompt[prompt] == 1, "\(prompt) paid \(ltx.submitsByPrompt[prompt] ?? 0) times") }

            let jobs = try await Ledger(path: directory + "/state/ledger.sqlite").jobs()
            #expect(jobs.count == 3)
            var charged = 0.0
            for job in jobs {
                #expect(job.state == .archived, "\(job.name): \(job.state) \(job.reason?.rawValue ?? "") \(job.detail ?? "")")
                #expect(job.provider == "ltx-v2")
                let cost = try #require(job.cost)
                #expect(abs(cost - (ltx.costByGeneration[job.generationID ?? ""] ?? -1)) < 1e-9, "the ledger's cost is what ltx-v2 charged")
                charged += cost
                let info = try String(contentsOfFile: try #require(job.bag) + "/bag-info.txt", encoding: .utf8)
                #expect(info.contains("Dialect: ltx-v2"))
                #expect(!info.contains(Self.falKey) && !info.contains(Self.ltxKey))
            }
            #expect(abs(charged - ltx.costCharged) < 1e-9)
            // The job whose submit fal refused records both attempts, in order; the others never reached fal.
            let attempts = jobs.compactMap(\.providerAttempts)
            #expect(attempts.contains(["fal", "ltx-v2"]), "\(attempts)")
            #expect(attempts.allSatisfy { $0.last == "ltx-v2" && $0.filter { $0 == "ltx-v2" }.count == 1 })
            let log = run.stderr
            #expect(log.contains("fal did not accept the submit"))
            #expect(!log.contains(Self.falKey) && !log.contains(Self.ltxKey))

            let listed = try await Self.run(["jobs", "routing.yml", "--json"], in: directory)
            #expect(try listed.jsonArray().allSatisfy { $0["provider"] as? String == "ltx-v2" }, "\(listed)")
            let spend = try await Self.run(["spend", "routing.yml", "--by", "provider", "--json"], in: directory)
            let rows = try spend.jsonArray()
            #expect(rows.count == 1 && rows.first?["key"] as? String == "ltx-v2" && rows.first?["jobs"] as? Int == 3, "\(spend)")
        }
    }

    @Test("a provider that refuses its key holds only the job sent to it; the others go to the next provider, each key to its own origin")
    func refusedKeyStopsOnlyThatProvider() async throws {
        let scale = 0.001
        try await Self.withSimulators([Self.simulator(key: "another-fal-key", scale: scale), Self.simulator(key: Self.ltxKey, scale: scale)]) { bases, servers, directory in
            try Self.writePipeline([("fal", Self.base(bases[0], "fal"), ""), ("ltx-v2", Self.base(bases[1], "ltx-v2"), "")], routing: "", in: directory)
            let prompts = ["a kite at noon", "a kite at dusk", "a kite at night"]
            for (index, prompt) in prompts.enumerated() { try Self.drop("job\(index)", prompt: prompt, in: directory) }
            let run = try await Self.run(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            #expect(run.status == 3, "one job is held: \(run)")
            let fal = await servers[0].stats(), ltx = await servers[1].stats()
            #expect(fal.unauthorized == 1 && fal.submitsAccepted == 0, "one submit reached fal, with fal's variable's key: \(fal.unauthorized)")
            #expect(ltx.submitsAccepted == 2 && ltx.unauthorized == 0)
            let jobs = try await Ledger(path: directory + "/state/ledger.sqlite").jobs()
            let held = jobs.filter { $0.state == .held }
            #expect(held.count == 1 && held.first?.reason == "unauthorized" && held.first?.provider == "fal", "\(jobs.map { "\($0.name) \($0.state) \($0.provider ?? "-")" })")
            #expect(jobs.filter { $0.state == .archived }.allSatisfy { $0.provider == "ltx-v2" })
            #expect(!run.stderr.contains(Self.falKey) && !run.stderr.contains(Self.ltxKey))
        }
    }

    @Test("a generation whose provider left the pipeline file is held, never polled or paid elsewhere, and finishes once it is listed again")
    func submittedJobWaitsForItsProvider() async throws {
        let scale = 0.001
        var slow = Self.simulator(key: Self.falKey, scale: scale)
        slow.fastLatency = 3_000...3_000
        try await Self.withSimulators([slow, Self.simulator(key: Self.ltxKey, scale: scale)]) { bases, servers, directory in
            let fal = ("fal", Self.base(bases[0], "fal"), ""), ltx = ("ltx-v2", Self.base(bases[1], "ltx-v2"), "")
            try Self.writePipeline([fal, ltx], routing: "", in: directory)
            try Self.drop("kite", prompt: "a kite that takes its time", in: directory)
            let process = try Self.launch(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            var submitted = false
            for _ in 0..<300 where !submitted {
                try await Task.sleep(for: .milliseconds(50))
                let jobs = (try? await Ledger(path: directory + "/state/ledger.sqlite").jobs()) ?? []
                submitted = jobs.first?.state == .submitted
            }
            kill(process.processIdentifier, SIGKILL)
            await ProcessWaiting.exit(of: process)
            #expect(submitted, "the job was never seen submitted")

            try Self.writePipeline([ltx], routing: "", in: directory)
            let without = try await Self.run(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            #expect(without.status == 3, "\(without)")
            var job = try #require(try await Ledger(path: directory + "/state/ledger.sqlite").jobs().first)
            #expect(job.state == .held && job.reason == "provider-missing" && job.provider == "fal", "\(job.state) \(job.reason?.rawValue ?? "") \(job.detail ?? "")")
            #expect(await servers[1].stats().requests.total == 0, "ltx-v2 never hears of fal's generation")

            try Self.writePipeline([fal, ltx], routing: "", in: directory)
            let back = try await Self.run(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            #expect(back.status == 0, "\(back)")
            job = try #require(try await Ledger(path: directory + "/state/ledger.sqlite").jobs().first)
            #expect(job.state == .archived && job.provider == "fal")
            #expect(await servers[0].stats().submitsAccepted == 1, "paid once")
        }
    }

    @Test("route: cheapest sends each job where the catalogs price it lowest among providers that can serve it exactly")
    func cheapestFollowsTheCatalogs() async throws {
        let scale = 0.001
        try await Self.withSimulators([
            Self.simulator(key: Self.falKey, scale: scale), Self.simulator(key: Self.ltxKey, scale: scale), Self.simulator(key: Self.replicateKey, scale: scale),
        ]) { bases, servers, directory in
            // An override makes fal dearer than ltx-v2 at 1440p: the catalog the user corrects is the one obeyed.
            try Data("models:\n  ltx-2-3-fast: { prices: { 1440p: 0.20 } }\n".utf8).write(to: URL(fileURLWithPath: directory + "/fal-prices.yml"))
            try Self.writePipeline([
                ("replicate", Self.base(bases[2], "replicate"), ""),
                ("fal", Self.base(bases[0], "fal"), ", catalog: fal-prices.yml"),
                ("ltx-v2", Self.base(bases[1], "ltx-v2"), ""),
            ], routing: "  route: cheapest", in: directory)
            // 1080p: fal $0.04/s, ltx-v2 $0.06/s, replicate unknown → fal.
            try Self.drop("hd", prompt: "a harbour at noon", in: directory)
            // 720p: fal cannot serve it, ltx-v2 $0.03/s → ltx-v2.
            try Self.drop("small", prompt: "a harbour at dawn", sidecar: #"{"resolution": "1280x720"}"#, in: directory)
            // 1440p: fal $0.20/s by the override, ltx-v2 $0.12/s → ltx-v2.
            try Self.drop("large", prompt: "a harbour at night", sidecar: #"{"resolution": "2560x1440"}"#, in: directory)
            // A sidecar that names a provider is obeyed even where another is cheaper.
            try Self.drop("named", prompt: "a harbour in fog", sidecar: #"{"provider": "ltx-v2"}"#, in: directory)

            let run = try await Self.run(["run", "routing.yml", "--once", "--time-scale", String(scale)], in: directory)
            #expect(run.status == 0, "\(run)")
            let jobs = try await Ledger(path: directory + "/state/ledger.sqlite").jobs()
            let where_ = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0.provider ?? "none") })
            #expect(where_ == ["hd": "fal", "small": "ltx-v2", "large": "ltx-v2", "named": "ltx-v2"], "\(where_)")
            #expect(jobs.allSatisfy { $0.state == .archived }, "\(jobs.map { "\($0.name) \($0.state) \($0.detail ?? "")" })")
            let costs = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0.cost ?? -1) })
            #expect(abs((costs["hd"] ?? 0) - 0.24) < 1e-9 && abs((costs["small"] ?? 0) - 0.18) < 1e-9 && abs((costs["large"] ?? 0) - 0.72) < 1e-9, "\(costs)")
            let fal = await servers[0].stats(), ltx = await servers[1].stats(), replicate = await servers[2].stats()
            #expect(fal.submitsAccepted == 1 && fal.submitsByPrompt["a harbour at noon"] == 1)
            #expect(ltx.submitsAccepted == 3)
            #expect(replicate.requests.submit == 0, "a provider with no known price is never the cheapest")
            #expect(run.stderr.contains("hd: skipped replicate: price unknown"), "\(run.stderr)")
            #expect(run.stderr.contains("small: skipped fal: cannot serve it"), "\(run.stderr)")
        }
    }

    @Test("SIGKILL at random moments with two providers and fallback: nothing lost, nothing paid twice on either")
    func killedProviderRunsPayOnce() async throws {
        let scale = 0.01
        // fal refuses its first 7 requests (one submit and its 6 retries), so the job that meets them falls back; later
        // runs (after a kill) find fal answering again and send it the jobs it is cheapest for.
        let flaky = FaultPlan(errorBurst: .init(status: .unavailable, count: 7, retryAfter: 1))
        try await Self.withSimulators([Self.simulator(key: Self.falKey, scale: scale, faults: flaky), Self.simulator(key: Self.ltxKey, scale: scale)]) { bases, servers, directory in
            try Self.writePipeline([("fal", Self.base(bases[0], "fal"), ""), ("ltx-v2", Self.base(bases[1], "ltx-v2"), "")],
                                   routing: "  route: cheapest\n  fallback: true", in: directory)
            let prompts = (0..<12).map { "prompt \($0): a paper boat on a canal" }
            // Every third job asks for 720p, which only ltx-v2 serves: both providers are paid whatever the kills.
            for (index, prompt) in prompts.enumerated() {
                try Self.drop("job\(index)", prompt: prompt, sidecar: index % 3 == 0 ? #"{"resolution": "1280x720"}"# : nil, in: directory)
            }
            let arguments = ["run", "routing.yml", "--once", "--time-scale", String(scale)]
            var random = CrashSafetyTests.SplitMix(state: 20_261_126)
            var kills = 0, finishedEarly = 0
            while kills < 8 && finishedEarly < 10 {
                let process = try Self.launch(arguments, in: directory)
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500, using: &random)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    await ProcessWaiting.exit(of: process)
                    kills += 1
                } else {
                    finishedEarly += 1
                    if process.terminationStatus == 0 || process.terminationStatus == 3 { break }
                }
            }
            var last: Int32 = -1
            for _ in 0..<10 {
                let process = try Self.launch(arguments, in: directory)
                await ProcessWaiting.exit(of: process)
                last = process.terminationStatus
                if last == 0 || last == 3 { break }
            }
            let log = (try? String(contentsOfFile: directory + "/stderr.log", encoding: .utf8)) ?? ""
            #expect(last == 0 || last == 3, "final run exited \(last)\n\(log.suffix(3000))")
            let fal = await servers[0].stats(), ltx = await servers[1].stats()
            let jobs = try await Ledger(path: directory + "/state/ledger.sqlite").jobs()
            #expect(jobs.count == 12)
            var archived = 0
            for job in jobs {
                let prompt = job.parameters?.prompt ?? ""
                let paid = (fal.submitsByPrompt[prompt] ?? 0) + (ltx.submitsByPrompt[prompt] ?? 0)
                #expect(paid <= 1, "\(job.name) paid \(paid) times across the providers")
                switch job.state {
                case .archived:
                    archived += 1
                    #expect(paid == 1)
                    let books = job.provider == "fal" ? fal : ltx
                    #expect(books.submitsByPrompt[prompt] == 1, "\(job.name) archived as \(job.provider ?? "?") but that provider never accepted it")
                    #expect(BagVerifier.verify(bag: try #require(job.bag)).valid)
                case .held:
                    #expect(job.reason == "uncertain-submit", "\(job.name) held for \(job.reason?.rawValue ?? "?"): \(job.detail ?? "")")
                default:
                    Issue.record("\(job.name) ended \(job.state) (\(job.reason ?? "")): \(job.detail ?? "")")
                }
            }
            if ProcessInfo.processInfo.environment["ROUTING_DEBUG"] != nil { print(log) }
            print("provider crash safety: \(kills) kills, \(archived) archived, fal accepted \(fal.submitsAccepted), ltx-v2 accepted \(ltx.submitsAccepted)")
            #expect(12 - archived <= kills)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/drop").isEmpty)
            #expect(BagVerifier.findBags(root: directory + "/archive").count == archived)
            #expect(fal.submitsAccepted + ltx.submitsAccepted <= 12)
            #expect(ltx.submitsAccepted >= 4 - (12 - archived), "the 720p jobs are ltx-v2's")
        }
    }

    @Test("catalog --compare: each provider's price, limits and whether it serves the request, as a table and as JSON")
    func compareProviders() async throws {
        try await Support.withTemporaryDirectory { directory in
            let arguments = ["catalog", "--compare", "text-to-video", "--model", "ltx-2-3-fast", "--resolution", "1280x720", "--duration", "6", "--fps", "25"]
            let text = try await Self.run(arguments, in: directory)
            #expect(text.status == 0, "\(text)")
            let lines = text.stdout.split(separator: "\n").map(String.init)
            let header = try #require(lines.first { $0.hasPrefix("PROVIDER") })
            let fal = try #require(lines.first { $0.hasPrefix("fal ") })
            let ltx = try #require(lines.first { $0.hasPrefix("ltx-v2 ") })
            // Aligned: every column starts where its header does.
            let priceColumn = try #require(header.range(of: "PRICE")?.upperBound)
            #expect(ltx[ltx.index(ltx.startIndex, offsetBy: header.distance(from: header.startIndex, to: priceColumn) - 5)...].hasPrefix("$0.18"), "\(text.stdout)")
            #expect(fal.contains(" no ") && ltx.contains(" yes "))
            #expect(text.stdout.contains("fal cannot serve it: resolution 1280x720 is not one of"))
            #expect(text.stdout.contains("cheapest known: ltx-v2"))

            let json = try await Self.run(arguments + ["--json"], in: directory)
            let object = try json.jsonObject()
            let rows = try #require(object["providers"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["provider"] as? String).map { ($0, row) } })
            #expect(byName["ltx-v2"]?["price"] as? Double == 0.18)
            #expect(byName["ltx-v2"]?["generations_at_once"] as? Int == 2)
            #expect(byName["fal"]?["can_serve"] as? Bool == false && byName["fal"]?["price"] is NSNull)
            #expect(byName["replicate"]?["can_serve"] as? Bool == false)
            #expect(object["cheapest"] as? String == "ltx-v2")

            // At 1080p fal is cheaper, and replicate serves it at a price nobody publishes (null, never 0).
            let hd = try await Self.run(["catalog", "--compare", "text-to-video", "--model", "ltx-2-3-fast", "--resolution", "1920x1080",
                                         "--duration", "6", "--fps", "25", "--json"], in: directory)
            let hdObject = try hd.jsonObject()
            #expect(hdObject["cheapest"] as? String == "fal")
            let replicate = try #require((hdObject["providers"] as? [[String: Any]])?.first { $0["provider"] as? String == "replicate" })
            #expect(replicate["can_serve"] as? Bool == true && replicate["price"] is NSNull)

            let usage = try await Self.run(["catalog", "--compare", "text-to-video"], in: directory)
            #expect(usage.status == 2, "\(usage)")
            #expect(usage.stderr.contains("--compare needs --model"))
        }
    }
}
