import Foundation
import LTXAPI

/// The small texts the live status blocks are made of.
enum StatusFigures {
    /// `0:42`, `12:05`, `1:02:05` from seconds.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0:00" }
        let whole = Int(min(seconds, 99 * 3600).rounded(.down))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// `0:42 of ~0:30–1:30` (elapsed against the catalog's latency for the model), or the elapsed time alone when
    /// the catalog gives no latency.
    static func elapsed(_ seconds: Double, model: String?, catalog: Catalog) -> String {
        let text = clock(seconds)
        guard let model = model.flatMap(catalog.model), model.latencyHigh > 0 else { return text }
        let low = clock(model.latencyLow), high = clock(max(model.latencyLow, model.latencyHigh))
        let expected = low == high ? "~\(low)" : "~\(low)–\(high)"
        return text + " of " + expected + (seconds > max(model.latencyLow, model.latencyHigh) ? " (longer than expected)" : "")
    }

    /// `3.2 of 5.1 MB` or `3.2 MB`.
    static func download(bytes: Int64, total: Int64?) -> String {
        let done = String(format: "%.1f", Double(bytes) / 1e6)
        guard let total, total > 0 else { return done + " MB" }
        return done + " of " + String(format: "%.1f MB (%d %%)", Double(total) / 1e6, Int(min(100, Double(bytes) * 100 / Double(total))))
    }

    /// `ltx-2-3-fast 1920x1080 6 s`.
    static func request(_ parameters: GenerationParameters?) -> String {
        guard let parameters else { return "" }
        return "\(parameters.model) \(parameters.resolution) \(parameters.durationText)"
    }
}
