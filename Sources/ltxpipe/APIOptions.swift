import ArgumentParser
import Foundation
import LTXAPI

/// Options of every command that talks to the API.
struct APIOptions: ParsableArguments {
    @Option(name: .customLong("api-base"), help: "API base URL, or 'simulator' for an in-process simulator (default: $LTX_API_BASE for the LTX dialects, else the dialect's documented base).")
    var apiBase: String?

    @Option(help: "Wire dialect: ltx-v2 (what api.ltx.video serves), generations (the original API reference), fal (fal.ai's queue API, key in FAL_KEY), replicate (Replicate's predictions API, key in REPLICATE_API_TOKEN) wavespeed (WaveSpeed AI's v3 API, key in WAVESPEED_API_KEY) or apifree (APIFree's video API, key in APIFREE_API_KEY).")
    var dialect: DialectName = .ltxV2

    @Option(help: "A catalog override file merged over the shipped catalog (new models, prices, rules); see catalogs/README.md.")
    var catalog: String?

    @Option(name: .customLong("time-scale"), help: .hidden)
    var timeScale: Double?

    func validate() throws {
        if let base = apiBase, base != "simulator" {
            guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw ValidationError("API base \(base) is not an http(s) URL")
            }
        }
        if let timeScale, !(timeScale > 0 && timeScale.isFinite) { throw ValidationError("--time-scale must be a positive number") }
    }

    /// `--api-base`, else the dialect's base variable (`LTX_API_BASE` for the LTX dialects), else its documented base.
    var resolvedBase: String {
        apiBase ?? dialect.environmentBase(ProcessInfo.processInfo.environment) ?? dialect.defaultBase
    }

    var scale: Double { timeScale ?? ProcessInfo.processInfo.environment["LTXPIPE_TIME_SCALE"].flatMap(Double.init).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? 1 }

    var dialectName: DialectName { dialect }

    /// The effective catalog: the dialect's shipped catalog with `--catalog` merged over it.
    func effectiveCatalog() throws(CatalogError) -> Catalog { try dialect.loadCatalog(overrides: catalog) }
}

extension DialectName: ExpressibleByArgument {}

extension DurationChoice: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
