import ArgumentParser
import Foundation
import LTXCore
import LTXPipeline

/// `ltxpipe jobs show ID [--pipeline FILE]`
struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One job: its fields, inputs, files, request ids, costs and every event of its history."
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The job id (as `jobs` lists it).")
    var id: String

    @Option(help: "The pipeline file (default: search every pipelines/*.yml).")
    var pipeline: String?

    /// `jobs show --json`: the ledger's row, its events and the files that exist for it now.
    struct Shown: Encodable {
        let pipeline: String
        let job: JobRecord
        let events: [JobEvent]
        let files: [String]
        @ExplicitNull var costBasis: String?
    }

    func run() async throws {
        let (ledger, job) = try await PipelineLedger.holding(id, pipeline: pipeline)
        let events: [JobEvent]
        do { events = try await ledger.open().events(for: job.id) } catch let error as LedgerError {
            Output.error(error.description)
            throw ExitStatus.failed.exitCode
        }
        let places = [job.bag, job.failedFolder, ledger.configuration.state + "/jobs/" + job.id].compactMap { $0 }
        let files = places.flatMap(JobsShowCommand.files(under:))
        let basis = job.totalCost == nil ? nil : (ledger.reportsCost(of: job) ? "reported" : "estimate")
        if output.json {
            Output.json(Shown(pipeline: ledger.configuration.name, job: job, events: events, files: files, costBasis: basis))
            return
        }
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            Output.line(name.padding(toLength: 16, withPad: " ", startingAt: 0) + DisplayText.escaped(value, limit: 2000))
        }
        field("job", job.id)
        field("pipeline", "\(ledger.configuration.name) (\(ledger.path))")
        field("name", job.name)
        field("state", job.state.rawValue + (job.reason.map { " (\($0.rawValue))" } ?? ""))
        field("detail", job.detail)
        if let parameters = job.parameters {
            field("request", "\(parameters.mode.rawValue): \(parameters.model) \(parameters.resolution) \(parameters.durationText) @ \(parameters.fps) fps")
            field("prompt", parameters.prompt)
        }
        field("provider", ledger.provider(of: job) + ((job.providerAttempts?.count ?? 0) > 1 ? " (submits sent to \(job.providerAttempts?.joined(separator: ", ") ?? ""))" : ""))
        field("generation", job.generationID)
        field("request ids", job.requestIDs.isEmpty ? nil : job.requestIDs.joined(separator: ", "))
        field("estimated", job.estimatedCost.map(Money.text) ?? (job.parameters == nil ? nil : "unknown (no price in the catalog)"))
        field("cost", job.cost.map { Money.text($0) + (basis == "estimate" ? " (price-table estimate: the service reports no cost)" : "") })
        field("earlier attempts", job.priorCost.map(Money.text))
        field("video sha256", job.videoSHA256)
        field("verification", job.verification.map { $0.passed ? "pass (\($0.checks.count) checks)" : "FAIL: " + $0.failures.map { "\($0.name) expected \($0.expected), got \($0.actual)" }.joined(separator: "; ") })
        field("bag", job.bag)
        field("failed folder", job.failedFolder)
        field("created", JobsListCommand.time(job.createdAt) + " UTC")
        field("updated", JobsListCommand.time(job.updatedAt) + " UTC")
        Output.line("inputs:")
        for input in job.inputs {
            Output.line("  \(DisplayText.escaped(input.name, limit: 200))  \(input.role.rawValue)" + (input.size.map { "  \($0) bytes" } ?? "") + (input.sha256.map { "  sha256 \($0)" } ?? ""))
        }
        if !files.isEmpty {
            Output.line("files:")
            files.forEach { Output.line("  " + DisplayText.escaped($0, limit: 400)) }
        }
        Output.line("events:")
        var table = TextTable(header: ["TIME (UTC)", "STAGE", "OUTCOME", "DETAIL"])
        for event in events {
            table.rows.append([JobsListCommand.time(event.at), event.stage.rawValue, event.outcome, DisplayText.escaped(event.detail ?? "", limit: 400)])
        }
        table.lines.forEach { Output.line("  " + $0) }
    }

    /// The regular files under `folder`, as paths, sorted.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let next = walker.nextObject() as? String {
            var info = stat()
            let path = folder + "/" + next
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { found.append(path) }
        }
        return found.sorted()
    }
}
