import ArgumentParser
import Foundation
import LTXAPI

/// Options of every command that talks to the API.
struct APIOptions: ParsableArguments {
    @Option(name: .customLong("api-base"), help: "API base URL, or 'simulator' for an in-process simulator (default: $LTX_API_BASE, else https://api.ltx.video/v1).")
    var apiBase: String?

    @Option(help: "Wire dialect: generations (the API reference).")
    var dialect: String = "generations"

    @Option(name: .customLong("time-scale"), help: .hidden)
    var timeScale: Double?

    func validate() throws {
        guard dialect == "generations" || dialect == "ltx-v2" else {
            throw ValidationError("--dialect \(dialect) is not one of generations, ltx-v2")
        }
        if let base = resolvedBase, base != "simulator" {
            guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw ValidationError("API base \(base) is not an http(s) URL")
            }
        }
        if let timeScale, timeScale <= 0 { throw ValidationError("--time-scale must be positive") }
    }

    var resolvedBase: String? {
        apiBase ?? ProcessInfo.processInfo.environment["LTX_API_BASE"] ?? (dialect == "ltx-v2" ? "https://api.ltx.video" : "https://api.ltx.video/v1")
    }

    var scale: Double { timeScale ?? ProcessInfo.processInfo.environment["LTXPIPE_TIME_SCALE"].flatMap(Double.init) ?? 1 }

    var dialectValue: any Dialect { dialect == "ltx-v2" ? LTXV2Dialect() : GenerationsDialect() }
}
