import Foundation
import Testing

/// `ltxpipe catalog` through the built binary: what a user sees, with the environment under the test's control.
@Suite("ltxpipe catalog")
struct CatalogCommandTests {
    /// Runs the binary in a fresh temporary folder (so nothing depends on the test's working directory) with
    /// `LTXPIPE_CATALOGS` removed from the environment unless `catalogs` names a folder.
    static func catalog(_ arguments: [String], catalogs: String? = nil, files: [String: String] = [:]) async throws -> (RunResult, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let catalogFolder = catalogs.map { ($0 as NSString).isAbsolutePath ? $0 : (directory as NSString).appendingPathComponent($0) }
        let process = Support.process(["catalog"] + arguments, in: directory, variables: ["LTXPIPE_CATALOGS": catalogFolder])
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (stdout, stderr) = await ProcessWaiting.offPool { () -> (Data, Data) in
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (stdout, stderr)
        }
        let result = RunResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                               stderr: String(decoding: stderr, as: UTF8.self))
        return (result, directory)
    }

    static func models(_ result: RunResult) throws -> [String: [String: Any]] {
        let object = try result.jsonObject()
        let models = try #require(object["models"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: models.compactMap { model in (model["name"] as? String).map { ($0, model) } })
    }

    static func prices(_ model: [String: Any]?) throws -> [String: Any] {
        try #require(model?["prices"] as? [String: Any])
    }

    @Test("--json: the shipped ltx-v2 catalog, removed models with their replacement, unknown prices as null")
    func shippedJSON() async throws {
        let (result, _) = try await Self.catalog(["--json"])
        #expect(result.status == 0, "\(result)")
        let object = try result.jsonObject()
        #expect(object["dialect"] as? String == "ltx-v2")
        let source = try #require(object["source"] as? String)
        #expect(source.hasSuffix("catalogs/ltx-v2.yml") && !source.contains("built in"), "\(source)")
        let models = try Self.models(result)
        #expect(Set(models.keys) == ["ltx-2-3-fast", "ltx-2-3-pro", "ltx-2-5-fast", "ltx-2-5-pro", "ltx-2-fast", "ltx-2-pro"])
        #expect(models["ltx-2-fast"]?["status"] as? String == "removed")
        #expect(models["ltx-2-fast"]?["replaced_by"] as? String == "ltx-2-3-fast")
        #expect(models["ltx-2-5-pro"]?["fps"] as? [Int] == [24, 25, 50])
        #expect(models["ltx-2-3-fast"]?["durations"] as? [Int] == [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20])
        #expect((models["ltx-2-3-fast"]?["resolutions"] as? [String])?.contains("720x1280") == true)
        let fifth = try Self.prices(models["ltx-2-5-fast"])
        #expect(fifth["720p"] as? Double == 0.09)
        for tier in ["1080p", "1440p", "2160p"] { #expect(fifth[tier] is NSNull, "\(tier): \(String(describing: fifth[tier]))") }
        #expect(try Self.prices(models["ltx-2-3-pro"])["720p"] is NSNull)
        #expect(models["ltx-2-3-pro"]?["audio_price"] as? Double == 0.10)
    }

    @Test("text: unknown prices say unknown")
    func shippedText() async throws {
        let (result, _) = try await Self.catalog([])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("ltx-2-fast  removed on 2026-08-15, use ltx-2-3-fast"))
        #expect(result.stdout.contains("720p $0.09  1080p unknown  1440p unknown  2160p unknown"), "\(result.stdout)")
        #expect(result.stdout.contains("1440p $0.12"))
        #expect(result.stdout.contains("audio-to-video  $0.10 per second of input audio"))
        #expect(!result.stdout.contains("$0 ") && !result.stdout.contains("$0.00"))
        #expect(result.stdout.contains("models:\n    ltx-2-3-pro: { prices: { 720p: 0.10 } }"), "\(result.stdout)")
    }

    @Test("--dialect generations: the reference's catalog")
    func generations() async throws {
        let (result, _) = try await Self.catalog(["--dialect", "generations", "--json"])
        #expect(result.status == 0, "\(result)")
        let models = try Self.models(result)
        #expect(Set(models.keys) == ["ltx-2-fast", "ltx-2-pro"])
        #expect(try Self.prices(models["ltx-2-pro"])["2160p"] as? Double == 0.20)
        let (bad, _) = try await Self.catalog(["--dialect", "ltx-v9"])
        #expect(bad.status == 2 && bad.stderr.contains("ltx-v9"), "\(bad)")
    }

    @Test("--catalog override.yml merges over the shipped file, no rebuild")
    func override() async throws {
        let overrides = """
        models:
          ltx-2-7-fast: { like: ltx-2-3-fast }
          ltx-2-5-fast: { prices: { 1080p: 0.12 } }
          ltx-2-3-pro:  { durations: [2, 4, 6, 8, 10] }
          ltx-2-pro:    { removed: true }

        """
        let (result, _) = try await Self.catalog(["--catalog", "override.yml", "--json"], files: ["override.yml": overrides])
        #expect(result.status == 0, "\(result)")
        let models = try Self.models(result)
        #expect(models["ltx-2-7-fast"]?["status"] as? String == "current")
        #expect(try Self.prices(models["ltx-2-7-fast"])["1080p"] as? Double == 0.06)
        #expect(try Self.prices(models["ltx-2-5-fast"])["1080p"] as? Double == 0.12)
        #expect(try Self.prices(models["ltx-2-5-fast"])["1440p"] is NSNull)
        #expect(models["ltx-2-3-pro"]?["durations"] as? [Int] == [2, 4, 6, 8, 10])
        #expect((try result.jsonObject()["source"] as? String)?.hasSuffix(" + override.yml") == true)
    }

    @Test("a bad override file: exit 3, file:line: key: message, nothing on stdout")
    func badOverride() async throws {
        let (result, _) = try await Self.catalog(["--catalog", "override.yml"], files: ["override.yml": "models:\n  ltx-2-5-fast:\n    prize: { 1080p: 0.12 }\n"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("override.yml:3: models.ltx-2-5-fast.prize: unknown key \"prize\" in models.ltx-2-5-fast"), "\(result.stderr)")
        let (missing, _) = try await Self.catalog(["--catalog", "nowhere.yml"])
        #expect(missing.status == 3 && missing.stderr.contains("nowhere.yml: no such catalog file"), "\(missing)")
    }

    @Test("LTXPIPE_CATALOGS: an edited catalog is obeyed; a broken one is refused with its line; a folder without it is named")
    func environmentFolder() async throws {
        let shipped = try String(contentsOf: Support.repoRoot.appendingPathComponent("catalogs/ltx-v2.yml"), encoding: .utf8)
        let edited = shipped.replacingOccurrences(of: "prices: { 720p: null, 1080p: null }", with: "prices: { 720p: 0.2, 1080p: 0.4 }")
        #expect(edited != shipped)
        let (result, directory) = try await Self.catalog(["--json"], catalogs: "mine", files: ["mine/ltx-v2.yml": edited])
        #expect(result.status == 0, "\(result)")
        #expect(try Self.prices(Self.models(result)["ltx-2-5-pro"])["1080p"] as? Double == 0.4)
        #expect((try result.jsonObject()["source"] as? String)?.hasPrefix(directory) == true)

        let broken = shipped.replacingOccurrences(of: "    auto_duration: true\n    latency: { low: 30, high: 90 }", with: "    auto_duration: maybe\n    latency: { low: 30, high: 90 }")
        #expect(broken != shipped)
        let line = try #require(broken.components(separatedBy: "\n").firstIndex(of: "    auto_duration: maybe")) + 1
        let (refused, _) = try await Self.catalog([], catalogs: "mine", files: ["mine/ltx-v2.yml": broken])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("mine/ltx-v2.yml:\(line): models.ltx-2-5-pro.auto_duration: must be true or false, got \"maybe\""), "\(refused.stderr)")

        let (absent, _) = try await Self.catalog([], catalogs: "empty", files: ["empty/README": "nothing here"])
        #expect(absent.status == 3, "\(absent)")
        #expect(absent.stderr.contains("empty/ltx-v2.yml: no such catalog file (LTXPIPE_CATALOGS is set to"), "\(absent.stderr)")
    }
}
