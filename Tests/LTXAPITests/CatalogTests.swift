import Foundation
import Testing
@testable import LTXAPI

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

    @Test("parameters round-trip through JSON with the resolution as text")
    func parametersJSON() throws {
        let p = GenerationParameters(mode: .audioToVideo, prompt: "waves", seed: 7)
        let data = try JSONEncoder().encode(p)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"resolution\":\"1920x1080\""))
        #expect(text.contains("\"mode\":\"audio-to-video\""))
        #expect(try JSONDecoder().decode(GenerationParameters.self, from: data) == p)
    }

    @Test("the built-in catalog is the reference: presets, fps, models and modes")
    func builtInCatalog() throws {
        let catalog = Catalog.generations
        #expect(catalog.dialect == "generations")
        #expect(catalog.resolutions.map(\.description) == ["1920x1080", "2560x1440", "3840x2160"])
        #expect(catalog.fps == [25, 50])
        #expect(catalog.models.map(\.name) == ["ltx-2-fast", "ltx-2-pro"])
        let fast = try #require(catalog.model("ltx-2-fast"))
        #expect(!fast.modes.contains(.audioToVideo))
        #expect(try #require(catalog.model("ltx-2-pro")).modes.contains(.audioToVideo))
        #expect(fast.latencySeconds.count == 2)
        #expect(catalog.inputs.image.maxBytes == 20_000_000)
        #expect(catalog.inputs.audio.maxBytes == 50_000_000)
        #expect(catalog.inputs.image.formats == ["jpeg", "png", "webp", "gif"])
    }

    @Test("a catalog whose default model is not offered is refused")
    func invalidCatalog() throws {
        let json = """
        { "dialect": "x", "defaults": { "model": "nope", "resolution": "1920x1080", "duration": 6, "fps": 25 },
          "resolutions": ["1920x1080"], "fps": [25],
          "models": [ { "name": "m", "modes": ["text-to-video"], "latency_seconds": [1, 2], "price_per_second": {} } ],
          "mode_rules": [], "duration_rules": [],
          "inputs": { "image": { "formats": ["jpeg"], "max_bytes": 1 }, "audio": { "formats": ["mp3"], "max_bytes": 1 } } }
        """
        let error = try #require(throws: CatalogError.self) { try Catalog.load(Data(json.utf8)) }
        #expect(error.message.contains("default model nope"))
    }

    @Test("a catalog loaded from data drives the validator")
    func customCatalog() throws {
        let json = """
        { "dialect": "x", "defaults": { "model": "m", "resolution": "1280x720", "duration": 4, "fps": 24 },
          "resolutions": ["1280x720"], "fps": [24],
          "models": [ { "name": "m", "modes": ["text-to-video"], "latency_seconds": [1, 2], "price_per_second": { "1280x720": 0.01 } } ],
          "mode_rules": [], "duration_rules": [ { "min": 2, "max": 5, "note": "everything" } ],
          "inputs": { "image": { "formats": ["jpeg"], "max_bytes": 1 }, "audio": { "formats": ["mp3"], "max_bytes": 1 } } }
        """
        let catalog = try Catalog.load(Data(json.utf8))
        let validator = RequestValidator(catalog: catalog)
        let p = GenerationParameters(mode: .textToVideo, prompt: "p", catalog: catalog)
        #expect(p.resolution.description == "1280x720" && p.fps == 24 && p.duration == 4)
        #expect(validator.violations(p).isEmpty)
        var long = p
        long.duration = 6
        #expect(validator.violations(long).map(\.message) == ["duration 6 is outside 2–5 for everything"])
        #expect(validator.estimatedCost(p) == 0.04)
    }
}
