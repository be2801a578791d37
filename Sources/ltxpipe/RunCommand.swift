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
        3 when any job is left held, else 1 when any failed, else 0. A stopped run prints one summary line and exits 0 \
        (130 when a second Ctrl-C stops it at once). A second run on the same ledger is refused naming the holder's pid (exit 5).
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
        let lock: LedgerLock
        do { lock = try LedgerLock(ledgerPath: PipelineSession.ledgerPath(configuration)) } catch {
            Output.error(error.description)
            throw ExitStatus.busy.exitCode
        }
        defer { withExtendedLifetime(lock) {} }
        let scale = ProviderSessions.timeScale(configuration, asked: timeScale)
        let composed: ProviderSessions
        do {
            composed = try await ProviderSessions.open(configuration, timeScale: scale)
        } catch {
            Output.error("\(pipeline): \(error.description)")
            throw error.exitStatus.exitCode
        }
        let session: PipelineSession
        do {
            session = try await PipelineSession.open(configuration, endpoint: composed.endpoint, moreEndpoints: composed.moreEndpoints, observer: { ConsoleReporter.reportQuietly($0) }, log: { Output.error($0) })
        } catch {
            await composed.close()
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let once = self.once
        let work = Task { try await session.runner.run(once: once) }
        let signals = StopSignals(onFirst: { _ in
            Output.error("stopping: letting in-flight writes finish (press Ctrl-C again to stop at once)")
            work.cancel()
        }, onSecond: {
            Output.error("stopped at once; the next run resumes from the ledger")
        })
        Output.error("\(configuration.name): watching \(configuration.drop); bags into \(configuration.archive), failures into \(configuration.failed), "
                     + "ledger \(PipelineSession.ledgerPath(configuration)) (pid \(getpid()))" + (once ? "; --once" : "; SIGINT or SIGTERM stops"))
        let result: Result<RunSummary, Error>
        do { result = .success(try await work.value) } catch { result = .failure(error) }
        signals.cancel()
        await session.close()
        await composed.close()
        switch result {
        case .failure(let error):
            Output.error("\(pipeline): \(error)")
            throw ExitStatus.failed.exitCode
        case .success(let summary):
            if output.json {
                Output.json(summary)
            } else if summary.stopped {
                Output.line("\(configuration.name): stopped; \(summary.resumable) job\(summary.resumable == 1 ? "" : "s") will resume on the next run"
                            + " (this run: \(summary.archived) archived, \(summary.failed) failed)")
            } else {
                Output.line("\(configuration.name): \(summary.archived) archived, \(summary.failed) failed, \(summary.held) held")
            }
            let status = ExitStatus.of(summary)
            if status != .success { throw status.exitCode }
        }
    }
}
