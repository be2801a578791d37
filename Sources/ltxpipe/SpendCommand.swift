import ArgumentParser
import Foundation
import LTXPipeline

/// `ltxpipe spend [PIPELINE.yml] [--since 7d] [--by model|day|dialect|provider]`
struct SpendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Money spent on generations, from the ledgers, grouped by model, day, dialect or provider.",
        discussion: """
        A job counts on the day its generation was submitted, with everything it was charged (earlier attempts of retried \
        jobs included). ltx-v2 reports no cost: its jobs count their price-table estimate (basis "estimate").
        """
    )

    /// What the rows are grouped by.
    enum Grouping: String, ExpressibleByArgument, CaseIterable {
        case model, day, dialect, provider
    }

    @OptionGroup var output: OutputOptions

    @Argument(help: "The pipeline file (default: every pipelines/*.yml with a ledger).")
    var pipeline: String?

    @Option(help: "Only generations submitted since then: 7d, 24h, YYYY-MM-DD (UTC) or an ISO 8601 time.")
    var since: SinceFilter?

    @Option(help: "Group by model, day (UTC), dialect (the pipeline's first provider) or provider (the one each job went to).")
    var by: Grouping = .model

    /// One row of `spend --json`.
    struct Row: Encodable {
        let key: String
        let jobs: Int
        let spent: Double
        /// `reported`, `estimate`, or `mixed`.
        let basis: String
    }

    func run() async throws {
        var groups: [String: (jobs: Int, spent: Double, bases: Set<String>)] = [:]
        for ledger in try PipelineLedger.select(pipeline) where ledger.exists {
            for job in try await ledger.jobs() {
                guard let spent = job.totalCost else { continue }
                let at = job.submitStartedAt ?? job.updatedAt
                if let since, at < since.date { continue }
                let key: String
                switch by {
                case .model: key = job.parameters?.model ?? "unknown"
                case .day: key = String(JobsListCommand.time(at).prefix(10))
                case .dialect: key = ledger.configuration.api.dialect.rawValue
                case .provider: key = ledger.provider(of: job)
                }
                var group = groups[key] ?? (0, 0, [])
                group.jobs += 1
                group.spent += spent
                group.bases.insert(ledger.reportsCost(of: job) ? "reported" : "estimate")
                groups[key] = group
            }
        }
        let rows = groups.keys.sorted().compactMap { key in
            groups[key].map { Row(key: key, jobs: $0.jobs, spent: $0.spent, basis: $0.bases.count == 1 ? $0.bases.first ?? "reported" : "mixed") }
        }
        if output.json {
            Output.json(rows)
            return
        }
        var table = TextTable(header: [by.rawValue.uppercased(), "JOBS", "SPENT", "BASIS"])
        table.rightAligned = [1, 2]
        for row in rows { table.rows.append([row.key, String(row.jobs), Money.text(row.spent), row.basis]) }
        table.rows.append(["total", String(rows.reduce(0) { $0 + $1.jobs }), Money.text(rows.reduce(0) { $0 + $1.spent }), ""])
        table.lines.forEach(Output.line)
    }
}
