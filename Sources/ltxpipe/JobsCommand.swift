import ArgumentParser
import Foundation
import LTXPipeline

/// `ltxpipe jobs [PIPELINE.yml]`
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List a pipeline's jobs from its ledger: state, reason, generation id, cost, bag.",
        discussion: "Without a pipeline file, every pipelines/*.yml whose ledger exists is listed."
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The pipeline file (default: every pipelines/*.yml with a ledger).")
    var pipeline: String?

    /// One row of `jobs --json`: every key present, `null` where nothing is known.
    struct Row: Encodable {
        let id: String, name: String, mode: String, state: String
        @ExplicitNull var reason: String?
        @ExplicitNull var detail: String?
        @ExplicitNull var generationId: String?
        @ExplicitNull var cost: Double?
        @ExplicitNull var costBasis: String?
        @ExplicitNull var estimatedCost: Double?
        @ExplicitNull var bag: String?
        @ExplicitNull var failedFolder: String?
        let updatedAt: String
    }

    func run() async throws {
        var files: [String] = []
        if let pipeline {
            files = [pipeline]
        } else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "pipelines")) ?? []
            files = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { "pipelines/" + $0 }
            if files.isEmpty {
                Output.error("no pipeline given and no pipelines/*.yml here")
                throw ExitStatus.badInput.exitCode
            }
        }
        var rows: [Row] = []
        let formatter = ISO8601DateFormatter()
        for file in files {
            let configuration: PipelineConfiguration
            do { configuration = try PipelineFile.load(path: file) } catch {
                if pipeline != nil {
                    Output.error(error.description)
                    throw ExitStatus.account.exitCode
                }
                continue
            }
            let path = PipelineSession.ledgerPath(configuration)
            guard FileManager.default.fileExists(atPath: path) else {
                if pipeline != nil && !output.json { Output.line("\(configuration.name): no jobs yet") }
                continue
            }
            let jobs: [JobRecord]
            do { jobs = try await Ledger(path: path).jobs() } catch {
                Output.error(error.description)
                throw ExitStatus.failed.exitCode
            }
            for job in jobs {
                rows.append(Row(
                    id: job.id, name: job.name, mode: job.mode, state: job.state.rawValue, reason: job.reason?.rawValue, detail: job.detail,
                    generationId: job.generationID, cost: job.cost,
                    costBasis: job.cost == nil ? nil : (configuration.api.dialect.capabilities.reportsCost ? "reported" : "estimate"),
                    estimatedCost: job.estimatedCost, bag: job.bag,
                    failedFolder: job.failedFolder, updatedAt: formatter.string(from: job.updatedAt)
                ))
            }
            if !output.json {
                Output.line("\(configuration.name) (\(path)): \(jobs.count) job(s)")
                for job in jobs {
                    var line = "  \(job.id)  \(job.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(job.name)"
                    if let reason = job.reason { line += "  [\(reason.rawValue)]" }
                    if let id = job.generationID { line += "  gen \(id)" }
                    if let cost = job.cost ?? job.estimatedCost { line += String(format: "  $%.2f%@", cost, job.cost == nil ? " est." : "") }
                    if let place = job.bag ?? job.failedFolder { line += "  → \(place)" }
                    Output.line(line)
                }
            }
        }
        if output.json { Output.json(rows) }
    }
}
