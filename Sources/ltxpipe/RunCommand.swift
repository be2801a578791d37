import ArgumentParser
import Dispatch
import Foundation
import LTXAPI
import LTXPipeline

/// `ltxpipe run PIPELINE.yml [--once]`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a drop-folder pipeline: claim, preflight, generate, verify and archive every dropped group.",
        discussion: """
        Without --once it watches the drop folder until SIGINT or SIGTERM (in-flight writes finish, the ledger stays \
        consistent, generations in flight are resumed by the next run). With --once it processes what is there and exits: \
        3 when any job is left held, else 1 when any failed, else 0.
        """
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Flag(help: "Process what is in the drop folder (and unfinished jobs), then exit.")
    var once = false

    @Option(name: .customLong("time-scale"), help: .hidden)
    var timeScale: Double?

    func run() async throws {
        let configuration: PipelineConfiguration
        do { configuration = try PipelineFile.load(path: pipeline) } catch {
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let api = configuration.api
        let base = api.dialect.environmentBase(ProcessInfo.processInfo.environment) ?? api.base
        let scale = timeScale ?? (base == "simulator" ? api.simulator.timeScale : 1)
        let composed: APISession
        do {
            composed = try await APISession.open(base: base, dialect: api.dialect, timeScale: scale,
                                                 simulator: .init(credits: api.simulator.credits, limits: api.limits))
        } catch {
            Output.error("\(pipeline): \(error.description)")
            throw error.exitStatus.exitCode
        }
        let session: PipelineSession
        do {
            session = try await PipelineSession.open(configuration, endpoint: composed.endpoint, observer: { ConsoleReporter.reportQuietly($0) }, log: { Output.error($0) })
        } catch {
            await composed.close()
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let once = self.once
        let work = Task { try await session.runner.run(once: once) }
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Output.error("stopping: letting in-flight writes finish")
                work.cancel()
            }
            source.resume()
            return source
        }
        let result: Result<RunSummary, Error>
        do { result = .success(try await work.value) } catch { result = .failure(error) }
        signals.forEach { $0.cancel() }
        await session.close()
        await composed.close()
        switch result {
        case .failure(let error):
            Output.error("\(pipeline): \(error)")
            throw ExitStatus.failed.exitCode
        case .success(let summary):
            if output.json {
                Output.json(summary)
            } else {
                Output.line("\(configuration.name): \(summary.archived) archived, \(summary.failed) failed, \(summary.held) held")
            }
            let status = ExitStatus.of(summary)
            if status != .success { throw status.exitCode }
        }
    }
}
