import ArgumentParser
import Foundation
import LTXAPI
import LTXPipeline

/// `ltxpipe catalog [--dialect D] [--catalog FILE] [--json]`: the effective catalog, unknown prices shown as unknown.
/// With `--compare MODE --model M [--resolution R] [--duration D] [--fps F] [--pipeline FILE]`: each provider's price,
/// limits and whether it can serve that request (`CatalogComparison`).
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the effective catalog: each model's status, resolutions, fps, durations and prices.",
        discussion: """
        The catalog is read from catalogs/<dialect>.yml shipped with ltxpipe (or the folder named by \
        \(CatalogStore.environmentVariable)); --catalog merges an override file over it by model name. A price nobody \
        publishes is shown as unknown (JSON null), never as 0. With --compare, one row per provider (every shipped \
        catalog, or the providers of --pipeline with their overrides and limits): whether it can serve the request \
        exactly, its price for it, its limits, and the reason when it cannot.
        """
    )

    @Option(help: "Wire dialect: ltx-v2 (what api.ltx.video serves), generations (the API reference), fal (fal.ai's queue API), replicate (Replicate's predictions API), wavespeed (WaveSpeed AI's v3 API) or apifree (APIFree's video API).")
    var dialect: String = "ltx-v2"

    @Option(help: "An override file merged over the shipped catalog by model name (like:, prices:, durations:, removed:, ...).")
    var catalog: String?

    @Option(help: "Compare the providers for one request of this mode (text-to-video, image-to-video, audio-to-video).")
    var compare: GenerationMode?

    @Option(help: "With --compare: the model, named as a user names it (ltx-2-3-fast).")
    var model: String?

    @Option(help: "With --compare: WIDTHxHEIGHT (default: each catalog's).")
    var resolution: String?

    @Option(help: "With --compare: seconds, or auto (default: each catalog's).")
    var duration: DurationChoice?

    @Option(help: "With --compare: frames per second (default: each catalog's).")
    var fps: Int?

    @Option(help: "With --compare: compare this pipeline's providers (api.providers, their catalog overrides and limits).")
    var pipeline: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let resolution, Resolution(parsing: resolution) == nil { throw ValidationError("--resolution \(resolution) is not WIDTHxHEIGHT") }
        if compare != nil {
            guard model != nil else { throw ValidationError("--compare needs --model (e.g. --model ltx-2-3-fast)") }
            guard catalog == nil else { throw ValidationError("--catalog names one dialect's override; with --compare, name a pipeline whose providers give theirs (--pipeline FILE)") }
        } else if model != nil || resolution != nil || duration != nil || fps != nil || pipeline != nil {
            throw ValidationError("--model, --resolution, --duration, --fps and --pipeline go with --compare MODE")
        }
        guard CatalogStore.dialects.contains(dialect) else {
            throw ValidationError("--dialect \(dialect) is not one of \(CatalogStore.dialects.joined(separator: ", "))")
        }
    }

    func run() throws {
        if let compare, let model {
            try runComparison(mode: compare, model: model)
            return
        }
        let loaded: Catalog
        do {
            loaded = try CatalogStore.load(dialect: dialect, overrides: catalog)
        } catch {
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        if output.json {
            Output.json(CatalogListing(loaded))
        } else {
            for line in CatalogListing(loaded).textLines { Output.line(line) }
        }
    }
}

extension CatalogCommand {
    /// `--compare`: one row per provider.
    func runComparison(mode: GenerationMode, model: String) throws {
        let providers: [PipelineConfiguration.API]
        if let pipeline {
            do { providers = try PipelineFile.load(path: pipeline).providers } catch {
                Output.error(error.description)
                throw ExitStatus.account.exitCode
            }
        } else {
            do { providers = try CatalogComparison.shippedProviders() } catch {
                Output.error(error.description)
                throw ExitStatus.account.exitCode
            }
        }
        let comparison = CatalogComparison(mode: mode, model: model, resolution: resolution.flatMap(Resolution.init(parsing:)), duration: duration, fps: fps, providers: providers)
        if output.json {
            Output.json(comparison)
        } else {
            comparison.textLines.forEach(Output.line)
        }
    }
}

/// What `ltxpipe catalog` prints, as JSON (snake_case keys; an unknown price is null) or as text.
struct CatalogListing: Encodable {
    struct ModelEntry: Encodable {
        let name: String
        let status: String
        let replacedBy: String?
        let removedOn: String?
        let modes: [String]
        let resolutions: [String]
        let fps: [Int]
        let durations: [Int]
        let durationRules: [String]
        let autoDuration: Bool
        let lastFrame: Bool
        let latencySeconds: [Double]
        /// USD per second of output by tier; null when unknown.
        let prices: [String: Double?]
        /// USD per second of input audio (audio-to-video); null when the model is billed so and the price is unknown.
        let audioPrice: Double?
        /// Whether the model's audio-to-video is billed per second of input audio.
        let billsAudio: Bool
        /// The provider's model id by mode (fal), empty when requests name the model itself.
        let modelIDs: [String: String]

        func encode(to encoder: Encoder) throws {
            enum Keys: String, CodingKey {
                case name, status, replacedBy, removedOn, modes, resolutions, fps, durations, durationRules, autoDuration, lastFrame,
                     latencySeconds, prices, audioPrice, modelIds
            }
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(name, forKey: .name)
            try c.encode(status, forKey: .status)
            try c.encode(replacedBy, forKey: .replacedBy)
            try c.encode(removedOn, forKey: .removedOn)
            try c.encode(modes, forKey: .modes)
            try c.encode(resolutions, forKey: .resolutions)
            try c.encode(fps, forKey: .fps)
            try c.encode(durations, forKey: .durations)
            try c.encode(durationRules, forKey: .durationRules)
            try c.encode(autoDuration, forKey: .autoDuration)
            try c.encode(lastFrame, forKey: .lastFrame)
            try c.encode(latencySeconds, forKey: .latencySeconds)
            var prices = c.nestedContainer(keyedBy: AnyKey.self, forKey: .prices)
            for (tier, price) in self.prices {
                let key = AnyKey(tier)
                if let price { try prices.encode(price, forKey: key) } else { try prices.encodeNil(forKey: key) }
            }
            if billsAudio {
                try c.encode(audioPrice, forKey: .audioPrice)
            }
            if !modelIDs.isEmpty {
                try c.encode(modelIDs, forKey: .modelIds)
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let dialect: String
    let source: String
    let defaults: [String: String]
    let models: [ModelEntry]
    let audioToVideo: [String: String]?
    let promptMaxCharacters: Int?
    /// What the provider calls each size (`1080x1920` → `1080p 9:16`), when it names sizes by tier and aspect ratio.
    let sizes: [String: String]?

    init(_ catalog: Catalog) {
        dialect = catalog.dialect
        source = catalog.source
        defaults = ["model": catalog.defaults.model, "resolution": catalog.defaults.resolution.description,
                    "duration": String(catalog.defaults.duration), "fps": String(catalog.defaults.fps)]
        promptMaxCharacters = catalog.promptMaxCharacters
        sizes = catalog.sizes.map { table in
            Dictionary(uniqueKeysWithValues: table.map { ($0.key.description, "\($0.value.resolution) \($0.value.aspectRatio)") })
        }
        let audioRule = catalog.modeRule(.audioToVideo)
        audioToVideo = audioRule.map { rule in
            var facts: [String: String] = [:]
            if let models = rule.models { facts["models"] = models.joined(separator: ", ") }
            if let resolutions = rule.resolutions { facts["resolutions"] = resolutions.map(\.description).joined(separator: ", ") }
            if let fps = rule.fixedFps { facts["fps"] = String(fps) }
            if let low = rule.minAudioSeconds, let high = rule.maxAudioSeconds { facts["audio_seconds"] = "\(Self.number(low))–\(Self.number(high))" }
            if let low = rule.minGuidanceScale, let high = rule.maxGuidanceScale { facts["guidance_scale"] = "\(Self.number(low))–\(Self.number(high))" }
            return facts
        }
        let audioPriced = audioRule?.durationFromAudio == true
        models = catalog.models.map { model in
            var prices: [String: Double?] = [:]
            // A local service (ComfyUI on the user's GPUs) charges nothing: every tier's price is 0, not unknown.
            for tier in model.tiers { prices[tier] = .some(catalog.local == true ? 0 : model.prices[tier]) }
            let rules = model.durationRules.map { rule in
                let limits = [rule.min.map { "from \($0) s" }, rule.max.map { "up to \($0) s" }].compactMap { $0 }
                return "\(rule.note): " + (limits.isEmpty ? "all of the durations" : limits.joined(separator: " "))
            }
            let takesAudio = audioPriced && model.modes.contains(.audioToVideo)
            return ModelEntry(
                name: model.name, status: model.status.rawValue, replacedBy: model.replacedBy, removedOn: model.removedOn,
                modes: model.modes.map(\.rawValue), resolutions: model.resolutions.map(\.description), fps: model.fps,
                durations: model.durations, durationRules: rules, autoDuration: model.autoDuration, lastFrame: model.lastFrame,
                latencySeconds: model.latencySeconds, prices: prices, audioPrice: takesAudio ? model.audioPrice : nil, billsAudio: takesAudio,
                modelIDs: Dictionary(uniqueKeysWithValues: model.modelIDs.map { ($0.key.rawValue, $0.value) })
            )
        }
    }

    /// One paragraph per model.
    var textLines: [String] {
        var lines = ["\(dialect) catalog from \(source)"]
        lines.append("defaults: \(defaults["model"] ?? "") \(defaults["resolution"] ?? "") \(defaults["duration"] ?? "") s \(defaults["fps"] ?? "") fps"
                     + (promptMaxCharacters.map { "; prompts up to \($0) characters" } ?? ""))
        for model in models {
            lines.append("")
            var head = "\(model.name)  \(model.status)"
            if let removedOn = model.removedOn { head += " on \(removedOn)" }
            if let replacement = model.replacedBy { head += ", use \(replacement)" }
            lines.append(head)
            if !model.modes.isEmpty { lines.append("  modes        \(model.modes.joined(separator: ", "))") }
            for mode in model.modes { if let id = model.modelIDs[mode] { lines.append("  model id     \(mode): \(id)") } }
            if !model.resolutions.isEmpty {
                let named = model.resolutions.map { size in sizes?[size].map { "\(size) (\($0))" } ?? size }
                lines.append("  resolutions  \(named.joined(separator: " "))")
            }
            if !model.fps.isEmpty { lines.append("  fps          \(model.fps.map(String.init).joined(separator: " "))") }
            if !model.durations.isEmpty || model.autoDuration {
                lines.append("  durations    \(model.durations.map(String.init).joined(separator: " ")) s" + (model.autoDuration ? ", or auto" : ""))
            }
            for rule in model.durationRules { lines.append("               \(rule)") }
            let tiers = model.prices.keys.sorted { (Int($0.dropLast()) ?? 0) < (Int($1.dropLast()) ?? 0) }
            let prices = tiers.map { tier in "\(tier) " + ((model.prices[tier] ?? nil).map(Self.dollars) ?? "unknown") }
            if !prices.isEmpty { lines.append("  price/s      \(prices.joined(separator: "  "))") }
            if model.billsAudio {
                lines.append("  audio-to-video  " + (model.audioPrice.map(Self.dollars) ?? "unknown") + " per second of input audio")
            }
        }
        if let rule = audioToVideo, !rule.isEmpty {
            lines.append("")
            lines.append("audio-to-video: " + rule.keys.sorted().map { "\($0) \(rule[$0] ?? "")" }.joined(separator: "; "))
        }
        let unknown = models.filter { $0.status != "removed" }.flatMap { model in
            model.prices.keys.sorted { (Int($0.dropLast()) ?? 0) < (Int($1.dropLast()) ?? 0) }.filter { model.prices[$0] == .some(nil) }.map { "models.\(model.name).prices.\($0)" }
                + (model.billsAudio && model.audioPrice == nil ? ["models.\(model.name).audio_price"] : [])
        }
        if !unknown.isEmpty {
            lines.append("")
            lines.append("unknown prices are published nowhere: estimates that need them are unknown and a budget cannot hold them.")
            lines.append("To fill one in, write it in an override file and pass it with --catalog FILE (pipelines: api.catalog: FILE), e.g.")
            lines.append("  models:")
            if let first = unknown.first {
                let parts = first.split(separator: ".").map(String.init)
                if parts.count == 4 { lines.append("    \(parts[1]): { prices: { \(parts[3]): 0.10 } }") }
                else if parts.count == 3 { lines.append("    \(parts[1]): { audio_price: 0.10 }") }
            }
        }
        return lines
    }

    /// `$0.06`, or every digit when a price has more than cents.
    private static func dollars(_ value: Double) -> String {
        (value * 100).rounded() == value * 100 ? String(format: "$%.2f", value) : "$\(value)"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
