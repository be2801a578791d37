import Foundation
import LTXAPI
@testable import LTXPipeline
import Testing

/// `api.providers`, `api.route`, `api.fallback` and `api.provider` in pipeline files.
@Suite("Pipeline files: providers")
struct ProviderPipelineFileTests {
    static func yaml(_ api: String) -> String {
        "name: p\ndrop: ./drop\narchive: ./archive\nfailed: ./failed\nstate: ./state\napi:\n" + api
    }

    static func parse(_ api: String) throws(PipelineFileError) -> PipelineConfiguration {
        try PipelineFile.parse(yaml: yaml(api), path: "pipelines/x.yml")
    }

    static func error(_ api: String) -> PipelineFileError? {
        do { _ = try parse(api); return nil } catch { return error }
    }

    @Test("a list of providers keeps the file's order, each with its base (or the documented one), limits and catalog")
    func providersInOrder() throws {
        let configuration = try Self.parse("""
          providers:
            - { provider: fal, limits: { generations: 3, requests_per_window: 30 } }
            - { provider: ltx, base: simulator }
            - provider: replicate
              base: http://127.0.0.1:9/replicate
          route: cheapest
          fallback: true
        """)
        #expect(configuration.providers.map(\.dialect) == [.fal, .ltxV2, .replicate])
        #expect(configuration.api.dialect == .fal)
        #expect(configuration.api.base == "https://queue.fal.run")
        #expect(configuration.api.limits.generations == 3 && configuration.api.limits.requestsPerWindow == 30)
        #expect(configuration.providers[1].base == "simulator" && configuration.providers[1].limits.generations == 2)
        #expect(configuration.providers[2].base == "http://127.0.0.1:9/replicate")
        #expect(configuration.providers.map { $0.catalog.dialect } == ["fal", "ltx-v2", "replicate"])
        #expect(configuration.route == .cheapest && configuration.fallback)
    }

    @Test("the one-provider forms stay: api.dialect or api.provider with api.base; route order and no fallback by default")
    func singleProvider() throws {
        let named = try Self.parse("  base: simulator\n  provider: wavespeed\n")
        #expect(named.providers.map(\.dialect) == [.wavespeed] && named.route == .order && !named.fallback)
        let dialect = try Self.parse("  base: simulator\n  dialect: ltx-v2\n")
        #expect(dialect.providers.map(\.dialect) == [.ltxV2])
    }

    static let wrong: [(String, Int, String)] = [
        ("  providers:\n    - { provider: fal }\n  base: simulator\n", 9, "api.base cannot stand beside api.providers; give base under each provider"),
        ("  providers:\n    - { provider: fal }\n    - { provider: fal }\n", 9, "api.providers names fal twice; list each provider once"),
        ("  providers:\n    - { base: simulator }\n", 8, "each entry of api.providers needs provider: one of generations, ltx-v2, fal, replicate, wavespeed, apifree, comfyui"),
        ("  providers:\n    - { provider: falai }\n", 8, #"api.providers.provider must be one of generations, ltx-v2, fal, replicate, wavespeed, apifree, comfyui, got "falai""#),
        ("  providers:\n    - { provider: fal, base: ftp://x }\n", 8, #"api.providers.base must be "simulator" or an http(s) URL such as https://api.ltx.video/v1, got "ftp://x""#),
        ("  providers:\n    - { provider: fal, sync: true }\n", 8, "api.providers.sync needs provider: ltx-v2 (the fal protocol has no sync endpoint)"),
        ("  providers: []\n", 7, "api.providers must be a list of providers such as [{ provider: fal }, { provider: ltx-v2 }], got a list"),
        ("  providers:\n    - { provider: fal }\n  route: fastest\n", 9, #"api.route must be one of order, cheapest, got "fastest""#),
        ("  base: simulator\n  provider: fal\n  dialect: fal\n", 8, "api.provider and api.dialect name the same thing; keep one"),
    ]

    @Test("bad provider settings are errors naming the line and the key", arguments: wrong)
    func wrongProviders(api: String, line: Int, message: String) {
        let error = Self.error(api)
        #expect(error?.message == message, "\(error?.description ?? "parsed")")
        #expect(error?.line == line, "\(error?.description ?? "parsed")")
    }

    @Test("job defaults need only one provider that can serve them")
    func defaultsAgainstAnyProvider() throws {
        // 1280x720 is not fal's; ltx-v2 serves it.
        let configuration = try PipelineFile.parse(yaml: Self.yaml("  providers:\n    - { provider: fal }\n    - { provider: ltx-v2 }\n")
            + "defaults: { model: ltx-2-3-fast, resolution: 1280x720, duration: 6, fps: 25 }\n", path: "pipelines/x.yml")
        #expect(configuration.defaults.resolution == Resolution(width: 1280, height: 720))
        let refused = Self.error("  providers:\n    - { provider: fal }\n").map { _ in true } ?? false
        #expect(!refused)
        do {
            _ = try PipelineFile.parse(yaml: Self.yaml("  providers:\n    - { provider: fal }\n")
                + "defaults: { model: ltx-2-3-fast, resolution: 1280x720, duration: 6, fps: 25 }\n", path: "pipelines/x.yml")
            Issue.record("fal alone cannot serve 1280x720")
        } catch {
            #expect(error.key == "defaults.resolution", "\(error)")
        }
    }
}
