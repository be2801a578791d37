import Foundation
import Testing
@testable import LTXAPI

/// The repository's `catalogs/` folder, found from this file (never from the working directory).
enum CatalogFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repoRoot.appendingPathComponent("catalogs").path
    static func path(_ dialect: String) -> String { (folder as NSString).appendingPathComponent("\(dialect).yml") }

    /// The shipped file of `dialect`, loaded from the repository.
    static func shipped(_ dialect: String) throws -> Catalog { try CatalogFile.load(path: path(dialect)) }

    /// `text` written to a new temporary file named `name`; returns its path.
    static func write(_ text: String, name: String = "override.yml") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// The error `body` throws, or nil.
    static func error(_ body: () throws(CatalogError) -> Catalog) -> CatalogError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }
}

@Suite("GenerationParameters and Catalog")
struct CatalogTests {
    @Test("defaults come from the catalog: ltx-2-fast, 1920x1080, 6 s, 25 fps")
    func defaults() {
        let p = GenerationParameters(mode: .textToVideo, prompt: "p")
        #expect(p.model == "ltx-2-fast")
        #expect(p.resolution == Resolution(width: 1920, height: 1080))
        #expect(p.duration == 6)
        #expect(p.fps == 25)
        #expect(p.seed == nil)
        #expect(Support.validator.violations(p).isEmpty)
        #expect(GenerationParameters(mode: .imageToVideo, prompt: "p").model == "ltx-2-fast")
    }

    @Test("audio-to-video defaults to its only model, ltx-2-pro, and is valid as defaulted")
    func audioToVideoDefaults() {
        let p = GenerationParameters(mode: .audioToVideo, prompt: "p")
        #expect(p.model == "ltx-2-pro")
        #expect(p.resolution == Resolution(width: 1920, height: 1080))
        #expect(Support.validator.violations(p).isEmpty)
        #expect(GenerationParameters(mode: .audioToVideo, prompt: "p", model: "ltx-2-fast").model == "ltx-2-fast")
    }

    @Test("explicit values win over defaults")
    func explicitValues() {
        let p = GenerationParameters(mode: .textToVideo, prompt: "p", model: "ltx-2-pro",
                                     resolution: Resolution(width: 2560, height: 1440), duration: 8, fps: 50, seed: 42)
        #expect(p.model == "ltx-2-pro" && p.resolution.description == "2560x1440" && p.duration == 8 && p.fps == 50 && p.seed == 42)
    }

    @Test("resolutions parse WIDTHxHEIGHT and nothing else", arguments: [
        ("1920x1080", Resolution(width: 1920, height: 1080)), ("3840X2160", Resolution(width: 3840, height: 2160)),
    ])
    func resolutionParsing(text: String, expected: Resolution) {
        #expect(Resolution(parsing: text) == expected)
    }

    @Test("malformed resolutions are refused", arguments: ["1234", "1920x", "x1080", "0x1080", "-1920x1080", "1920x1080x3", "axb"])
    func resolutionRejects(text: String) {
        #expect(Resolution(parsing: text) == nil)
    }

    @Test("the price tier is the frame's short side, portrait as landscape", arguments: [
        ("1280x720", "720p"), ("720x1280", "720p"), ("1920x1080", "1080p"), ("1080x1920", "1080p"),
        ("2560x1440", "1440p"), ("1440x2560", "1440p"), ("3840x2160", "2160p"), ("2160x3840", "2160p"),
    ])
    func tiers(resolution: String, tier: String) throws {
        #expect(try #require(Resolution(parsing: resolution)).tier == tier)
    }

    @Test("parameters round-trip through JSON with the resolution as text")
    func parametersJSON() throws {
        let p = GenerationParameters(mode: .audioToVideo, prompt: "waves", seed: 7)
        let data = try JSONEncoder().encode(p)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"resolution\":\"1920x1080\""))
        #expect(text.contains("\"mode\":\"audio-to-video\""))
        #expect(try JSONDecoder().decode(GenerationParameters.self, from: data) == p)
    }

    // MARK: Shipped files

    @Test("the copies built into the binary are the shipped files, byte for byte", arguments: ["generations", "ltx-v2", "fal", "replicate", "wavespeed", "apifree", "comfyui"])
    func builtInIsShipped(dialect: String) throws {
        let file = try String(contentsOfFile: CatalogFixtures.path(dialect), encoding: .utf8)
        let builtIn = try #require(CatalogStore.builtInText(dialect: dialect))
        #expect(builtIn == file, "catalogs/\(dialect).yml changed: copy it into Sources/LTXAPI/BuiltInCatalogText.swift")
    }

    @Test("catalogs/generations.yml is the reference: presets, fps, models, modes, ranges, limits, prices")
    func generationsFile() throws {
        let catalog = try CatalogFixtures.shipped("generations")
        #expect(catalog.dialect == "generations")
        #expect(catalog.resolutions.map(\.description) == ["1920x1080", "2560x1440", "3840x2160"])
        #expect(catalog.fps == [25, 50])
        #expect(catalog.models.map(\.name) == ["ltx-2-fast", "ltx-2-pro"])
        let fast = try #require(catalog.model("ltx-2-fast"))
        let pro = try #require(catalog.model("ltx-2-pro"))
        #expect(!fast.modes.contains(.audioToVideo))
        #expect(pro.modes.contains(.audioToVideo))
        #expect(fast.latencySeconds == [5, 15] && pro.latencySeconds == [30, 90])
        #expect(fast.prices == ["1080p": 0.02, "1440p": 0.04, "2160p": 0.08])
        #expect(pro.prices == ["1080p": 0.05, "1440p": 0.10, "2160p": 0.20])
        #expect(fast.durations == Array(6...20) && pro.durations == Array(6...10))
        #expect(catalog.modeRule(.audioToVideo)?.models == ["ltx-2-pro"])
        #expect(catalog.modeRule(.audioToVideo)?.resolutions == [Resolution(width: 1920, height: 1080)])
        #expect(catalog.supportsSeed == true)
        #expect(catalog.promptMaxCharacters == nil)
        #expect(catalog.inputs.image.maxBytes == 20_000_000)
        #expect(catalog.inputs.audio.maxBytes == 50_000_000)
        #expect(catalog.inputs.image.formats == ["jpeg", "png", "webp", "gif"])
        #expect(catalog.inputs.audio.formats == ["mp3", "wav", "ogg", "m4a", "aac"])
    }

    @Test("catalogs/ltx-v2.yml: models and their status, removed ones naming the replacement")
    func ltxV2Models() throws {
        let catalog = try CatalogFixtures.shipped("ltx-v2")
        #expect(catalog.dialect == "ltx-v2")
        #expect(catalog.offeredModels.map(\.name) == ["ltx-2-3-fast", "ltx-2-3-pro", "ltx-2-5-fast", "ltx-2-5-pro"])
        for (removed, replacement) in [("ltx-2-fast", "ltx-2-3-fast"), ("ltx-2-pro", "ltx-2-3-pro")] {
            let model = try #require(catalog.model(removed))
            #expect(model.status == .removed && model.replacedBy == replacement && model.removedOn == "2026-08-15")
        }
        #expect(catalog.defaults.model == "ltx-2-3-fast" && catalog.defaults.fps == 24 && catalog.defaults.resolution.description == "1920x1080")
    }

    @Test("catalogs/ltx-v2.yml: resolutions with 720p and portrait twins; ltx-2-5-pro 720p/1080p only")
    func ltxV2Resolutions() throws {
        let catalog = try CatalogFixtures.shipped("ltx-v2")
        let all = ["1280x720", "1920x1080", "2560x1440", "3840x2160", "720x1280", "1080x1920", "1440x2560", "2160x3840"]
        for name in ["ltx-2-3-fast", "ltx-2-3-pro", "ltx-2-5-fast"] {
            #expect(try #require(catalog.model(name)).resolutions.map(\.description) == all)
        }
        #expect(try #require(catalog.model("ltx-2-5-pro")).resolutions.map(\.description) == ["1280x720", "1920x1080", "720x1280", "1080x1920"])
    }

    @Test("catalogs/ltx-v2.yml: fps per model (ltx-2-5-pro has no 48), durations, auto duration, last frame")
    func ltxV2Timing() throws {
        let catalog = try CatalogFixtures.shipped("ltx-v2")
        let fast = [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20]
        let pro = [2, 3, 4, 5, 6, 8, 10]
        let expected: [(String, [Int], [Int], Bool, Bool)] = [
            ("ltx-2-3-fast", [24, 25, 48, 50], fast, false, true), ("ltx-2-3-pro", [24, 25, 48, 50], pro, false, true),
            ("ltx-2-5-fast", [24, 25, 48, 50], fast, true, false), ("ltx-2-5-pro", [24, 25, 50], pro, true, false),
        ]
        for (name, fps, durations, auto, lastFrame) in expected {
            let model = try #require(catalog.model(name))
            #expect(model.fps == fps, "\(name)")
            #expect(model.durations == durations, "\(name)")
            #expect(model.autoDuration == auto, "\(name)")
            #expect(model.lastFrame == lastFrame, "\(name)")
            #expect(model.modes.contains(.textToVideo) && model.modes.contains(.imageToVideo))
        }
        #expect(try #require(catalog.model("ltx-2-3-pro")).modes.contains(.audioToVideo))
    }

    @Test("catalogs/ltx-v2.yml: prices per the facts table, unknown where nobody publishes one")
    func ltxV2Prices() throws {
        let catalog = try CatalogFixtures.shipped("ltx-v2")
        #expect(try #require(catalog.model("ltx-2-3-fast")).prices == ["720p": 0.03, "1080p": 0.06, "1440p": 0.12, "2160p": 0.24])
        #expect(try #require(catalog.model("ltx-2-3-pro")).prices == ["1080p": 0.08, "1440p": 0.16, "2160p": 0.32])
        #expect(try #require(catalog.model("ltx-2-3-pro")).audioPrice == 0.10)
        #expect(try #require(catalog.model("ltx-2-5-fast")).prices == ["720p": 0.09])
        #expect(try #require(catalog.model("ltx-2-5-pro")).prices.isEmpty)
        #expect(try #require(catalog.model("ltx-2-5-pro")).tiers == ["720p", "1080p"])
        #expect(try #require(catalog.model("ltx-2-fast")).prices == ["1080p": 0.04, "1440p": 0.08, "2160p": 0.16])
        #expect(try #require(catalog.model("ltx-2-pro")).prices == ["1080p": 0.06, "1440p": 0.12, "2160p": 0.24])
    }

    @Test("catalogs/ltx-v2.yml: audio-to-video, prompt, guidance, camera motions, input limits")
    func ltxV2Rules() throws {
        let catalog = try CatalogFixtures.shipped("ltx-v2")
        let a2v = try #require(catalog.modeRule(.audioToVideo))
        #expect(a2v.models == ["ltx-2-3-pro"])
        #expect(a2v.resolutions?.map(\.description) == ["1920x1080", "1080x1920"])
        #expect(a2v.fixedFps == 25 && a2v.durationFromAudio == true)
        #expect(a2v.minAudioSeconds == 2 && a2v.maxAudioSeconds == 20)
        #expect(a2v.minGuidanceScale == 1 && a2v.maxGuidanceScale == 50)
        #expect(catalog.promptMaxCharacters == 5000)
        #expect(catalog.cameraMotions == ["dolly_in", "dolly_out", "dolly_left", "dolly_right", "jib_up", "jib_down", "static", "focus_shift"])
        #expect(catalog.supportsSeed == false)
        #expect(catalog.inputs.image.formats == ["jpeg", "png", "webp"])
        #expect(catalog.inputs.image.dataURIMaxBytes == 7_000_000 && catalog.inputs.image.urlMaxBytes == 15_000_000)
        #expect(catalog.inputs.audio.formats == ["wav", "mp3", "m4a", "ogg"])
        #expect(catalog.inputs.audio.dataURIMaxBytes == 15_000_000 && catalog.inputs.audio.urlMaxBytes == 32_000_000)
        #expect(catalog.inputs.audio.minSeconds == 2)
    }

    @Test("audio-to-video's resolution follows the image's orientation when none is given, else 1920x1080")
    func audioToVideoOrientation() {
        let catalog = Catalog.ltxV2
        #expect(catalog.defaultResolution(for: .audioToVideo).description == "1920x1080")
        #expect(catalog.defaultResolution(for: .audioToVideo, imageWidth: 1080, imageHeight: 1350).description == "1080x1920")
        #expect(catalog.defaultResolution(for: .audioToVideo, imageWidth: 4000, imageHeight: 3000).description == "1920x1080")
        #expect(catalog.defaultResolution(for: .audioToVideo, imageWidth: 1000, imageHeight: 1000).description == "1920x1080")
        #expect(catalog.defaultResolution(for: .textToVideo, imageWidth: 1080, imageHeight: 1920).description == "1920x1080")
        #expect(Catalog.generations.defaultResolution(for: .audioToVideo, imageWidth: 1080, imageHeight: 1920).description == "1920x1080")
    }

    // MARK: Loader errors

    static let minimal = """
    dialect: x
    defaults: { model: m, resolution: 1280x720, duration: 4, fps: 24 }
    models:
      m:
        status: current
        modes: [text-to-video]
        resolutions: [1280x720]
        fps: [24]
        durations: [2, 3, 4, 5]
        latency: { low: 1, high: 2 }
        prices: { 720p: 0.01 }
    inputs:
      image: { formats: [jpeg], max_bytes: 1 }
      audio: { formats: [mp3], max_bytes: 1 }

    """

    @Test("a catalog read from text drives the validator and the estimate")
    func customCatalog() throws {
        let catalog = try CatalogFile.parse(yaml: Self.minimal, file: "custom.yml")
        let validator = RequestValidator(catalog: catalog)
        let p = GenerationParameters(mode: .textToVideo, prompt: "p", catalog: catalog)
        #expect(p.resolution.description == "1280x720" && p.fps == 24 && p.duration == 4)
        #expect(validator.violations(p).isEmpty)
        var long = p
        long.duration = 6
        #expect(validator.violations(long).map(\.message) == ["duration 6 is outside 2–5 for m"])
        #expect(validator.estimatedCost(p) == 0.04)
    }

    @Test("loader errors name the file, the line and the key", arguments: [
        ("    fps: [24]\n", "    fsp: [24]\n", 8, "models.m.fsp",
         "unknown key \"fsp\" in models.m; allowed: status, replaced_by, removed_on, modes, resolutions, fps, durations, duration_rules, auto_duration, latency, last_frame, prices, audio_price, model_ids"),
        ("    prices: { 720p: 0.01 }\n", "    prices: { 720p: cheap }\n", 11, "models.m.prices.720p", "must be a price in USD above 0, or null when unknown, got \"cheap\""),
        ("    prices: { 720p: 0.01 }\n", "    prices: { 720p: 0 }\n", 11, "models.m.prices.720p", "must be a price in USD above 0, or null when unknown, got 0"),
        ("    prices: { 720p: 0.01 }\n", "    prices: { 4k: 0.01 }\n", 11, "models.m.prices.4k", "unknown key \"4k\" in models.m.prices; allowed: 720p, 1080p, 1440p, 2160p"),
        ("    status: current\n", "    status: retired\n", 5, "models.m.status", "status must be one of current, deprecated, removed, got \"retired\""),
        ("    fps: [24]\n", "    fps: [24, fast]\n", 8, "models.m.fps", "each item must be a positive frame rate, got \"fast\""),
        ("    status: current\n", "    status: deprecated\n    replaced_by: ltx-9\n", 4, "models.m.replaced_by", "replaced_by names ltx-9, which is not in the catalog"),
        ("    modes: [text-to-video]\n", "    modes: [text-to-audio]\n", 6, "models.m.modes", "each item must be one of text-to-video, image-to-video, audio-to-video, got \"text-to-audio\""),
        ("    latency: { low: 1, high: 2 }\n", "", 4, "models.m.latency", "a current model needs latency"),
    ] as [(String, String, Int, String, String)])
    func loaderErrors(original: String, replacement: String, line: Int, key: String, message: String) throws {
        let yaml = Self.minimal.replacingOccurrences(of: original, with: replacement)
        let error = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.parse(yaml: yaml, file: "cat.yml") })
        #expect(error.file == "cat.yml")
        #expect(error.line == line, "\(error)")
        #expect(error.key == key, "\(error)")
        #expect(error.message == message, "\(error)")
        #expect(error.description == "cat.yml:\(line): \(key): \(message)")
    }

    @Test("a default model that is not offered, invalid YAML and a missing key are refused")
    func structuralErrors() throws {
        let noDefault = Self.minimal.replacingOccurrences(of: "model: m,", with: "model: nope,")
        let error = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.parse(yaml: noDefault, file: "c.yml") })
        #expect(error.description == "c.yml:2: defaults.model: default model nope is not in the catalog")
        let broken = Self.minimal.replacingOccurrences(of: "    fps: [24]\n", with: "    fps: [24\n")
        let syntax = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.parse(yaml: broken, file: "c.yml") })
        #expect(syntax.line != nil && syntax.message.hasPrefix("invalid YAML"), "\(syntax)")
        let noInputs = Self.minimal.components(separatedBy: "inputs:")[0]
        let missing = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.parse(yaml: noInputs, file: "c.yml") })
        #expect(missing.description == "c.yml: inputs: missing required key \"inputs\"")
    }

    @Test("an edited shipped file is refused with its own path and line")
    func editedShippedFile() throws {
        let text = try String(contentsOfFile: CatalogFixtures.path("ltx-v2"), encoding: .utf8)
        let edited = text.replacingOccurrences(of: "    fps: [24, 25, 50]\n", with: "    fps: [24, 25, 50]\n    colour: red\n")
        #expect(edited != text)
        let path = try CatalogFixtures.write(edited, name: "ltx-v2.yml")
        let error = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.load(path: path) })
        let line = edited.components(separatedBy: "\n").firstIndex(of: "    colour: red").map { $0 + 1 }
        #expect(error.file == path && error.line == line && error.key == "models.ltx-2-5-pro.colour", "\(error)")
    }

    // MARK: Overrides

    static let issueOverrides = """
    models:
      ltx-2-7-fast: { like: ltx-2-3-fast }          # a new model copied from another
      ltx-2-5-fast: { prices: { 1080p: 0.12 } }     # fill in or correct a price
      ltx-2-3-pro:  { durations: [2, 4, 6, 8, 10] } # narrow or widen a rule
      ltx-2-pro:    { removed: true }

    """

    @Test("overrides merge over the shipped catalog by model name: like, prices, durations, removed")
    func overridesMerge() throws {
        let base = try CatalogFixtures.shipped("ltx-v2")
        let merged = try CatalogFile.applyingOverrides(yaml: Self.issueOverrides, file: "mine.yml", to: base)
        let copy = try #require(merged.model("ltx-2-7-fast"))
        let original = try #require(base.model("ltx-2-3-fast"))
        #expect(copy.status == .current && copy.resolutions == original.resolutions && copy.durations == original.durations)
        #expect(copy.prices == original.prices && copy.durationRules.map(\.max) == original.durationRules.map(\.max) && copy.lastFrame)
        #expect(copy.durationRules.map(\.note) == original.durationRules.map { $0.note.replacingOccurrences(of: "ltx-2-3-fast", with: "ltx-2-7-fast") })
        let fifth = try #require(merged.model("ltx-2-5-fast"))
        #expect(fifth.prices == ["720p": 0.09, "1080p": 0.12])
        #expect(try #require(merged.model("ltx-2-3-pro")).durations == [2, 4, 6, 8, 10])
        #expect(try #require(merged.model("ltx-2-pro")).status == .removed)
        #expect(merged.models.count == base.models.count + 1)
        #expect(merged.source.hasSuffix(" + mine.yml"))
        // The merged catalog is what the validator and the estimate obey.
        let validator = RequestValidator(catalog: merged)
        let copied = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-7-fast", duration: 12, fps: 24, catalog: merged)
        #expect(validator.violations(copied).isEmpty)
        let filled = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-5-fast", duration: 10, fps: 24, catalog: merged)
        #expect(validator.estimatedCost(filled) == 1.2)
        let odd = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-3-pro", duration: 3, fps: 24, catalog: merged)
        #expect(validator.violations(odd).map(\.message) == ["duration 3 is not one of 2, 4, 6, 8, 10 for ltx-2-3-pro"])
    }

    @Test("a huge duration in a catalog is a message, not an allocation")
    func hugeDurations() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "durations: [2, 3, 4, 5]", with: "durations: [1, 9223372036854775807]")
        let catalog = try CatalogFile.parse(yaml: yaml, file: "c.yml")
        let p = GenerationParameters(mode: .textToVideo, prompt: "x", duration: 3, catalog: catalog)
        #expect(RequestValidator(catalog: catalog).violations(p).map(\.message) == ["duration 3 is not one of 1, 9223372036854775807 for m"])
    }

    @Test("a model copied with like: joins the mode rules of its original")
    func likeJoinsModeRules() throws {
        let merged = try CatalogFile.applyingOverrides(yaml: "models:\n  ltx-2-7-pro: { like: ltx-2-3-pro }\n", file: "o.yml",
                                                       to: CatalogFixtures.shipped("ltx-v2"))
        #expect(merged.modeRule(.audioToVideo)?.models == ["ltx-2-3-pro", "ltx-2-7-pro"])
        let p = GenerationParameters(mode: .audioToVideo, prompt: "x", model: "ltx-2-7-pro", catalog: merged)
        #expect(RequestValidator(catalog: merged).violations(p).isEmpty)
    }

    @Test("a removed replacement is followed to the model that is still offered")
    func replacementChain() throws {
        let merged = try CatalogFile.applyingOverrides(yaml: "models:\n  ltx-2-3-pro: { removed: true, replaced_by: ltx-2-5-pro }\n", file: "o.yml",
                                                       to: CatalogFixtures.shipped("ltx-v2"))
        #expect(merged.replacement(for: "ltx-2-pro") == "ltx-2-5-pro")
        let p = GenerationParameters(mode: .textToVideo, prompt: "x", model: "ltx-2-pro", catalog: merged)
        #expect(RequestValidator(catalog: merged).violations(p).map(\.message) == ["model ltx-2-pro was removed from the ltx-v2 service on 2026-08-15; use ltx-2-5-pro instead"])
    }

    @Test("an override can make a known price unknown again, and removed: false restores a model")
    func overrideUnknownAndRestore() throws {
        let yaml = "models:\n  ltx-2-3-fast: { prices: { 720p: null } }\n  ltx-2-fast: { removed: false, modes: [text-to-video], resolutions: [1920x1080], fps: [25], durations: [6], latency: { low: 1, high: 2 } }\n"
        let merged = try CatalogFile.applyingOverrides(yaml: yaml, file: "o.yml", to: CatalogFixtures.shipped("ltx-v2"))
        #expect(try #require(merged.model("ltx-2-3-fast")).prices["720p"] == nil)
        #expect(try #require(merged.model("ltx-2-fast")).status == .current)
    }

    @Test("override errors name the override file, the line and the key", arguments: [
        ("models:\n  ltx-9-fast: { prices: { 1080p: 0.1 } }\n", 2, "models.ltx-9-fast",
         "unknown model ltx-9-fast; known models: ltx-2-3-fast, ltx-2-3-pro, ltx-2-5-fast, ltx-2-5-pro, ltx-2-fast, ltx-2-pro (a new model starts with like: NAME)"),
        ("models:\n  ltx-2-7-fast:\n    like: ltx-2-9-fast\n", 3, "models.ltx-2-7-fast.like",
         "ltx-2-9-fast is not in the catalog; known models: ltx-2-3-fast, ltx-2-3-pro, ltx-2-5-fast, ltx-2-5-pro, ltx-2-fast, ltx-2-pro"),
        ("models:\n  ltx-2-5-fast:\n    prices: { 1080p: 0.12 }\n    price: 3\n", 4, "models.ltx-2-5-fast.price",
         "unknown key \"price\" in models.ltx-2-5-fast; allowed: like, removed, status, replaced_by, removed_on, modes, resolutions, fps, durations, duration_rules, auto_duration, latency, last_frame, prices, audio_price, model_ids"),
        ("defaults: { model: ltx-2-5-fast }\n", 1, "defaults", "unknown key \"defaults\"; allowed: models, sizes"),
        ("models:\n  ltx-2-3-fast: { removed: true }\n", 2, "defaults.model", "default model ltx-2-3-fast is removed; choose a current model"),
    ] as [(String, Int, String, String)])
    func overrideErrors(yaml: String, line: Int, key: String, message: String) throws {
        let base = try CatalogFixtures.shipped("ltx-v2")
        let error = try #require(CatalogFixtures.error { () throws(CatalogError) in try CatalogFile.applyingOverrides(yaml: yaml, file: "o.yml", to: base) })
        #expect(error.file == "o.yml", "\(error)")
        #expect(error.message == message, "\(error)")
        #expect(error.line == line && error.key == key, "\(error)")
    }

    // MARK: Finding the shipped files

    @Test("LTXPIPE_CATALOGS names the folder; a folder without the file is an error naming where it looked")
    func environmentFolder() throws {
        let edited = try String(contentsOfFile: CatalogFixtures.path("ltx-v2"), encoding: .utf8)
            .replacingOccurrences(of: "prices: { 720p: 0.09, 1080p: null,", with: "prices: { 720p: 0.09, 1080p: 0.15,")
        let path = try CatalogFixtures.write(edited, name: "ltx-v2.yml")
        let folder = (path as NSString).deletingLastPathComponent
        let catalog = try CatalogStore.load(dialect: "ltx-v2", overrides: nil, environment: [CatalogStore.environmentVariable: folder], executable: nil)
        #expect(catalog.source == path)
        #expect(try #require(catalog.model("ltx-2-5-fast")).prices["1080p"] == 0.15)
        let error = try #require(CatalogFixtures.error { () throws(CatalogError) in
            try CatalogStore.load(dialect: "generations", overrides: nil, environment: [CatalogStore.environmentVariable: folder], executable: nil)
        })
        #expect(error.file == (folder as NSString).appendingPathComponent("generations.yml"))
        #expect(error.message.contains("no such catalog file") && error.message.contains(CatalogStore.environmentVariable))
    }

    @Test("shipped catalogs are found next to the executable, in ../share/ltxpipe, or in the checkout it was built in")
    func searchOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-search-\(UUID().uuidString)").path
        let bin = (root as NSString).appendingPathComponent("prefix/bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let executable = (bin as NSString).appendingPathComponent("ltxpipe")
        let text = try String(contentsOfFile: CatalogFixtures.path("generations"), encoding: .utf8)
        func place(_ folder: String) throws -> String {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let file = (folder as NSString).appendingPathComponent("generations.yml")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
        func source() throws -> String {
            try CatalogStore.load(dialect: "generations", overrides: nil, environment: [:], executable: executable).source
        }
        #expect(try source().contains("built into ltxpipe"))
        try Data("// swift-tools-version:6.0\n".utf8).write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent("Package.swift")))
        let checkout = try place((root as NSString).appendingPathComponent("catalogs"))
        #expect(try source() == checkout)
        let share = try place((root as NSString).appendingPathComponent("prefix/share/ltxpipe/catalogs"))
        #expect(try source() == share)
        let beside = try place((bin as NSString).appendingPathComponent("catalogs"))
        #expect(try source() == beside)
    }

    @Test("the test binary itself finds the repository's catalogs by walking up from its own path")
    func walksUpFromThisExecutable() throws {
        let folders = CatalogStore.searchFolders(executable: CatalogStore.executablePath())
        #expect(folders.last.map { ($0 as NSString).standardizingPath } == (CatalogFixtures.folder as NSString).standardizingPath, "\(folders)")
    }
}
