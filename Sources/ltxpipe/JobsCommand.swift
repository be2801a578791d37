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

    /// One row of `jobs --json`.
    struct Row: Encodable {
        let id: String, name: String, mode: String, state: String
        let reason: String?, detail: String?, generationId: String?
        let cost: Double?, costBasis: String?, estimatedCost: Double?, bag: String?, failedFolder: String?, updatedAt: String

        enum CodingKeys: String, CodingKey {
            case id, name, mode, state, reason, detail, generationId, cost, costBasis, estimatedCost, bag, failedFolder, updatedAt
        }

        /// Every key is present; what is not known is `null` (an unknown price is never left out or 0).
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(mode, forKey: .mode)
            try c.encode(state, forKey: .state)
            try c.encode(reason, forKey: .reason)
            try c.encode(detail, forKey: .detail)
            try c.encode(generationId, forKey: .generationId)
            try c.encode(cost, forKey: .cost)
            try c.encode(costBasis, forKey: .costBasis)
            try c.encode(estimatedCost, forKey: .estimatedCost)
            try c.encode(bag, forKey: .bag)
            try c.encode(failedFolder, forKey: .failedFolder)
            try c.encode(updatedAt, forKey: .updatedAt)
        }
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
