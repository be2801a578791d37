import ArgumentParser
import Foundation
import LTXAPI
import LTXCore
import LTXPipeline

/// A pipeline file and its ledger, for the commands that read ledgers (`jobs`, `spend`, `retry`).
struct PipelineLedger {
    /// The pipeline file.
    let file: String
    /// The pipeline.
    let configuration: PipelineConfiguration
    /// The ledger's path.
    let path: String
    /// True when the ledger exists (a pipeline that never ran has none).
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// `pipeline`, else every `pipelines/*.yml` that loads. A named file that does not load is an error (exit 3);
    /// an unnamed one is skipped.
    static func select(_ pipeline: String?) throws -> [PipelineLedger] {
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
        var result: [PipelineLedger] = []
        for file in files {
            do {
                let configuration = try PipelineFile.load(path: file)
                result.append(PipelineLedger(file: file, configuration: configuration, path: PipelineSession.ledgerPath(configuration)))
            } catch {
                if pipeline != nil {
                    Output.error(error.description)
                    throw ExitStatus.account.exitCode
                }
            }
        }
        return result
    }

    /// Opens the ledger (it exists).
    func open() throws -> Ledger {
        do { return try Ledger(path: path) } catch {
            Output.error(error.description)
            throw ExitStatus.failed.exitCode
        }
    }

    /// Every job of the ledger, oldest first.
    func jobs() async throws -> [JobRecord] {
        do { return try await open().jobs() } catch let error as LedgerError {
            Output.error(error.description)
            throw ExitStatus.failed.exitCode
        }
    }

    /// True when the ledger records costs the service reported; false when they are price-table estimates (ltx-v2).
    var reportsCost: Bool { configuration.api.dialect.capabilities.reportsCost }

    /// The provider a job went to (jobs routed before providers were recorded went to the pipeline's only one).
    func provider(of job: JobRecord) -> String { job.provider ?? configuration.api.dialect.rawValue }

    /// True when the job's provider reports what it charged; false when its cost is a price-table estimate.
    func reportsCost(of job: JobRecord) -> Bool {
        DialectName(rawValue: provider(of: job))?.capabilities.reportsCost ?? reportsCost
    }
}

extension PipelineLedger {
    /// The ledger holding job `id`: in `pipeline`, else in any `pipelines/*.yml`. Not found is an error (exit 2).
    static func holding(_ id: String, pipeline: String?) async throws -> (ledger: PipelineLedger, job: JobRecord) {
        for ledger in try select(pipeline) where ledger.exists {
            let found: JobRecord?
            do { found = try await ledger.open().job(id) } catch let error as LedgerError {
                Output.error(error.description)
                throw ExitStatus.failed.exitCode
            }
            if let found { return (ledger, found) }
        }
        Output.error("\(DisplayText.escaped(id, limit: 80)): no such job in " + (pipeline.map { "the ledger of \($0)" } ?? "the ledgers of pipelines/*.yml; name the pipeline with --pipeline FILE"))
        throw ExitStatus.badInput.exitCode
    }
}
