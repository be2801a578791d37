import LTXCore
import LTXPipeline

/// The Prometheus text exposition format (version 0.0.4) of a dashboard snapshot: every sample carries the
/// pipeline's name as a label. Counters come from the ledger's append-only history and its final states, so they
/// never go down across runs.
public enum PrometheusText {
    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The metrics of `snapshot`.
    public static func render(_ snapshot: DashboardSnapshot) -> String {
        let summary = snapshot.summary
        let pipeline = "pipeline=\"\(escaped(summary.pipeline))\""
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                text += "\(name){\(pipeline)\(sample.labels.isEmpty ? "" : "," + sample.labels)} \(number(sample.value))\n"
            }
        }
        family("ltxpipe_jobs", "gauge", "Jobs in the ledger by state.",
               JobState.allCases.map { ("state=\"\($0.rawValue)\"", Double(summary.byState[$0] ?? 0)) })
        family("ltxpipe_jobs_under_way", "gauge", "Jobs neither archived, failed nor held.", [("", Double(summary.underWay))])
        family("ltxpipe_archived_total", "counter", "Jobs archived as verified bags.", [("", Double(summary.byState[.archived] ?? 0))])
        family("ltxpipe_submits_total", "counter", "Submits the service accepted.", [("", Double(summary.submits))])
        family("ltxpipe_verification_failures_total", "counter", "Delivered videos that failed verification.",
               [("", Double(summary.verificationFailures))])
        family("ltxpipe_spent_usd_total", "counter",
               "USD charged for generations, earlier attempts of retried jobs included (basis: reported by the service, or the price-table estimate).",
               [("basis=\"\(summary.costBasis)\"", DashboardJSON.money(summary.spent))])
        family("ltxpipe_spent_today_usd", "gauge", "USD charged for generations submitted today (UTC).",
               [("basis=\"\(summary.costBasis)\"", DashboardJSON.money(summary.spentToday))])
        family("ltxpipe_estimated_usd", "gauge", "USD estimated for jobs under way and not yet charged.", [("", DashboardJSON.money(summary.estimated))])
        family("ltxpipe_held_usd", "gauge", "USD estimated for held jobs.", [("", DashboardJSON.money(summary.held))])
        family("ltxpipe_unknown_price_jobs", "gauge", "Jobs under way or held whose price is unknown.", [("", Double(summary.unknownPrice))])
        family("ltxpipe_run_start_time_seconds", "gauge", "When the run serving these metrics started (Unix time).",
               [("", summary.runStartedAt.timeIntervalSince1970.rounded())])
        return text
    }

    /// The escaping the format asks of a label value: `\`, `"` and line feeds.
    private static let labelEscaping = CharacterEscaping(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"])

    /// A label value escaped as the format asks.
    static func escaped(_ value: String) -> String {
        labelEscaping.apply(to: value)
    }

    /// A sample value: integers without a fraction, others as Swift prints them (which Prometheus reads).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
