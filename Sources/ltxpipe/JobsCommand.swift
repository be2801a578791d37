import ArgumentParser
import Foundation
import LTXCore
import LTXPipeline

/// `ltxpipe jobs [list] [PIPELINE.yml]` and `ltxpipe jobs show ID`
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "A pipeline's jobs from its ledger: a table with totals, or one job's whole history.",
        subcommands: [JobsListCommand.self, JobsShowCommand.self],
        defaultSubcommand: JobsListCommand.self
    )
}

/// `ltxpipe jobs [list] [PIPELINE.yml] [--state S] [--since 7d]`
struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List jobs: state, reason, name, model, cost, last change; then totals by state and money.",
        discussion: """
        Without a pipeline file, every pipelines/*.yml whose ledger exists is listed. Totals: spent is what was charged \
        (for ltx-v2, the price-table estimate of each finished generation; earlier attempts of retried jobs included), \
        estimated is the estimate of jobs under way and not yet charged, held the estimate of held jobs.
        """
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The pipeline file (default: every pipelines/*.yml with a ledger).")
    var pipeline: String?

    @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: JobState?

    @Option(help: "Only jobs changed since then: 7d, 24h, 30m, YYYY-MM-DD (UTC) or an ISO 8601 time.")
    var since: SinceFilter?

    /// One row of `jobs --json`: every key present, `null` where nothing is known.
    struct Row: Encodable {
        let id: String, name: String, mode: String, state: String, provider: String
        @ExplicitNull var reason: String?
        @ExplicitNull var detail: String?
        @ExplicitNull var generationId: String?
        @ExplicitNull var cost: Double?
        @ExplicitNull var costBasis: String?
        @ExplicitNull var estimatedCost: Double?
        @ExplicitNull var priorCost: Double?
        @ExplicitNull var bag: String?
        @ExplicitNull var failedFolder: String?
        let updatedAt: String
    }

    func run() async throws {
        var rows: [Row] = []
        let formatter = ISO8601DateFormatter()
        for ledger in try PipelineLedger.select(pipeline) {
            guard ledger.exists else {
                if pipeline != nil && !output.json { Output.line("\(ledger.configuration.name): no jobs yet") }
                continue
            }
            let jobs = try await ledger.jobs().filter { job in
                (state == nil || job.state == state) && (since.map { job.updatedAt >= $0.date } ?? true)
            }
            for job in jobs {
                rows.append(Row(
                    id: job.id, name: job.name, mode: job.mode, state: job.state.rawValue, provider: ledger.provider(of: job),
                    reason: job.reason?.rawValue, detail: job.detail, generationId: job.generationID, cost: job.cost,
                    costBasis: job.cost == nil ? nil : (ledger.reportsCost(of: job) ? "reported" : "estimate"),
                    estimatedCost: job.estimatedCost, priorCost: job.priorCost, bag: job.bag,
                    failedFolder: job.failedFolder, updatedAt: formatter.string(from: job.updatedAt)
                ))
            }
            if !output.json { printTable(jobs, ledger: ledger) }
        }
        if output.json { Output.json(rows) }
    }

    private func printTable(_ jobs: [JobRecord], ledger: PipelineLedger) {
        let filters = [state.map { "state \($0.rawValue)" }, since.map { "since \(JobsListCommand.time($0.date))" }].compactMap { $0 }
        Output.line("\(ledger.configuration.name) (\(ledger.path)): \(jobs.count) job\(jobs.count == 1 ? "" : "s")"
                    + (filters.isEmpty ? "" : " (" + filters.joined(separator: ", ") + ")"))
        guard !jobs.isEmpty else { return }
        var table = TextTable(header: ["ID", "STATE", "REASON", "NAME", "MODEL", "PROVIDER", "COST", "UPDATED (UTC)"])
        table.rightAligned = [6]
        for job in jobs {
            let cost: String
            if let total = job.totalCost {
                cost = Money.text(total) + (ledger.reportsCost(of: job) ? "" : " est.")
            } else if let estimate = job.estimatedCost {
                cost = "(" + Money.text(estimate) + ")"
            } else {
                cost = "-"
            }
            table.rows.append([job.id, job.state.rawValue, job.reason.map { DisplayText.escaped($0.rawValue, limit: 40) } ?? "-",
                               DisplayText.escaped(job.name, limit: 40), job.parameters?.model ?? "-", ledger.provider(of: job), cost, JobsListCommand.time(job.updatedAt)])
        }
        table.lines.forEach(Output.line)
        Output.line(JobTotals(jobs).line)
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}

extension JobState: ExpressibleByArgument {}
