import ArgumentParser
import Foundation
import LTXPipeline

/// `ltxpipe retry ID... [--pipeline FILE] [--resubmit-uncertain]`
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Send failed or held jobs back into their pipeline with their original inputs; the next run takes them up.",
        discussion: """
        A failed job's inputs come back from failed/NAME/ (checked against the SHA-256 recorded when they were claimed) and \
        it starts again at preflight: a new generation is paid for, and the earlier attempts' cost stays counted. A held job's \
        hold is lifted. A job whose submit was sent without an answer may already be paid for: it is refused unless \
        --resubmit-uncertain is given. Refused while a run works the pipeline's ledger (exit 5). Exit 0 when every job was \
        sent back, else 2.
        """
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "Job ids (as `jobs` lists them).")
    var ids: [String]

    @Option(help: "The pipeline file (default: search every pipelines/*.yml).")
    var pipeline: String?

    @Flag(name: .customLong("resubmit-uncertain"), help: "Also send again a job whose submit may have been accepted (and paid for) without an answer.")
    var resubmitUncertain = false

    /// One line of `retry --json`.
    struct Row: Encodable {
        let id: String
        let retried: Bool
        @ExplicitNull var from: String?
        @ExplicitNull var state: String?
        @ExplicitNull var paidBefore: Double?
        @ExplicitNull var error: String?
    }

    func validate() throws {
        if ids.isEmpty { throw ValidationError("name at least one job id") }
    }

    func run() async throws {
        var rows: [Row] = []
        var locks: [String: LedgerLock] = [:]
        for id in ids {
            let (ledger, _) = try await PipelineLedger.holding(id, pipeline: pipeline)
            if locks[ledger.path] == nil {
                do { locks[ledger.path] = try LedgerLock(ledgerPath: ledger.path) } catch {
                    Output.error(error.description)
                    throw ExitStatus.busy.exitCode
                }
            }
            do {
                let outcome = try await JobRetry.retry(id, ledger: try ledger.open(), configuration: ledger.configuration, resubmitUncertain: resubmitUncertain)
                rows.append(Row(id: id, retried: true, from: outcome.from.rawValue, state: outcome.job.state.rawValue, paidBefore: outcome.paidBefore))
                if !output.json {
                    var line = "\(id): \(outcome.from.rawValue) → \(outcome.job.state.rawValue); the next `ltxpipe run \(ledger.file)` takes it up"
                    if outcome.from == .failed {
                        line += "; a new generation will be paid for" + (outcome.paidBefore.map { " (earlier attempts: \(Money.text($0)))" } ?? "")
                    }
                    Output.line(line)
                }
            } catch let error as JobRetryError {
                rows.append(Row(id: id, retried: false, error: error.description))
                if !output.json { Output.error(error.description) }
            }
        }
        withExtendedLifetime(locks) {}
        if output.json { Output.json(rows) }
        if rows.contains(where: { !$0.retried }) { throw ExitStatus.badInput.exitCode }
    }
}
