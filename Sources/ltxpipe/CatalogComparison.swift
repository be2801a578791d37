import Foundation
import LTXAPI
import LTXPipeline

/// `ltxpipe catalog --compare MODE --model M --resolution R --duration D`: for each provider, its price for that
/// exact request, its limits, and whether it can serve it (with the catalog's reason when it cannot).
struct CatalogComparison: Encodable {
    /// One provider's row.
    struct Row: Encodable {
        let provider: String
        let base: String
        /// True when the provider's catalog accepts the request exactly as asked.
        let canServe: Bool
        /// Why it cannot, when it cannot.
        @ExplicitNull var reason: String?
        /// The provider's own model id for the request (fal, WaveSpeed, Replicate), when it names one.
        @ExplicitNull var providerModelId: String?
        /// USD for the whole request; null when unknown (or when the provider cannot serve it).
        @ExplicitNull var price: Double?
        /// Generations the account runs at once; null when the provider publishes no such limit.
        @ExplicitNull var generationsAtOnce: Int?
        let requestsPerWindow: Int
        let windowSeconds: Double
        let catalog: String
    }

    let mode: String
    let model: String
    let resolution: String
    @ExplicitNull var duration: Int?
    let fps: Int
    let providers: [Row]
    /// The provider `route: cheapest` would choose: the lowest known price among those that can serve it.
    @ExplicitNull var cheapest: String?

    /// Compares `providers` (a pipeline's, with their overrides and limits) for one request.
    init(mode: GenerationMode, model: String, resolution: Resolution?, duration: DurationChoice?, fps: Int?,
         providers: [PipelineConfiguration.API]) {
        // Each catalog builds the request from what was given; the first provider that can serve it sets the video,
        // and one whose defaults would make another video does not serve "it" (as routing decides).
        let built = providers.map { api in
            let parameters = GenerationParameters(mode: mode, prompt: "compare", model: model, resolution: resolution, choice: duration,
                                                  fps: fps, catalog: api.catalog)
            return (api: api, parameters: parameters, violations: RequestValidator(catalog: api.catalog).violations(parameters).map(\.message))
        }
        let reference = built.first { $0.violations.isEmpty }?.parameters ?? built.first?.parameters
        var rows: [Row] = []
        for (api, parameters, found) in built {
            var violations = found
            if let reference, violations.isEmpty, reference != parameters {
                violations.append("its defaults make another video (\(parameters.resolution) \(parameters.durationText) @ \(parameters.fps) fps): give --resolution, --duration and --fps")
            }
            let serves = violations.isEmpty
            let catalog = api.catalog
            rows.append(Row(
                provider: api.dialect.rawValue, base: api.base, canServe: serves, reason: serves ? nil : violations.joined(separator: "; "),
                providerModelId: catalog.providerModelID(model, mode: mode),
                price: serves ? RequestValidator(catalog: catalog).estimatedCost(parameters) : nil,
                generationsAtOnce: api.limits.generations, requestsPerWindow: api.limits.requestsPerWindow,
                windowSeconds: api.limits.windowSeconds, catalog: catalog.source
            ))
        }
        self.mode = mode.rawValue
        self.model = model
        self.resolution = (reference?.resolution ?? resolution).map(\.description) ?? "-"
        self.duration = reference?.duration
        self.fps = reference?.fps ?? fps ?? 0
        self.providers = rows
        self.cheapest = rows.filter { $0.canServe && $0.price != nil }.min { ($0.price ?? 0) < ($1.price ?? 0) }?.provider
    }

    /// Every shipped provider catalog with its documented base and default limits (no pipeline given).
    static func shippedProviders() throws(CatalogError) -> [PipelineConfiguration.API] {
        var result: [PipelineConfiguration.API] = []
        for name in DialectName.allCases {
            let catalog = try CatalogStore.load(dialect: name.rawValue, overrides: nil)
            result.append(PipelineConfiguration.API(base: name.defaultBase, dialect: name, catalog: catalog))
        }
        return result
    }

    /// An aligned table, then the cheapest, then each reason a provider cannot serve the request.
    var textLines: [String] {
        var lines = ["\(mode) \(model) \(resolution) \(duration.map { "\($0) s" } ?? "auto") @ \(fps) fps"]
        var table = TextTable(header: ["PROVIDER", "SERVES", "PRICE", "AT ONCE", "REQUESTS", "MODEL ID"])
        table.rightAligned = [2, 3, 4]
        for row in providers {
            let window = row.windowSeconds == row.windowSeconds.rounded() ? String(Int(row.windowSeconds)) : String(row.windowSeconds)
            table.rows.append([
                row.provider, row.canServe ? "yes" : "no",
                row.canServe ? (row.price.map(Money.text) ?? "unknown") : "-",
                row.generationsAtOnce.map(String.init) ?? "not published",
                "\(row.requestsPerWindow)/\(window)s", row.providerModelId ?? model,
            ])
        }
        lines += table.lines
        lines.append("cheapest known: " + (cheapest ?? "none (no provider that can serve it has a known price)"))
        for row in providers where !row.canServe {
            lines.append("\(row.provider) cannot serve it: \(row.reason ?? "")")
        }
        return lines
    }
}
