import ArgumentParser
import Dispatch
import Foundation
import LTXAPI
import LTXDashboard
import LTXPipeline
import Logging

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
    @OptionGroup var logging: LogOptions

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Flag(help: "Process what is in the drop folder (and unfinished jobs), then exit.")
    var once = false

    @Option(name: .customLong("time-scale"), help: .hidden)
    var timeScale: Double?

    @OptionGroup var dashboard: DashboardOptions

    func run() async throws {
        let console = Console.start(logging)
        let logger = Logger(label: "ltxpipe")
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
            composed = try await ProviderSessions.open(configuration, timeScale: scale, log: { logger.info("\($0)") })
        } catch {
            Output.error("\(pipeline): \(error.description)")
            throw error.exitStatus.exitCode
        }
        let session: PipelineSession
        let downloads = LatestDownload()
        do {
            session = try await PipelineSession.open(configuration, endpoint: composed.endpoint, moreEndpoints: composed.moreEndpoints, observer: { event in
                downloads.record(event)
                ClientEventLog.log(event, to: logger, progressInLog: false)
            }, log: { logger.log(level: RunStatement.level(of: $0), "\($0)") })
        } catch {
            await composed.close()
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let web: DashboardServer?
        do { web = try await dashboard.start(session, configuration: configuration) } catch {
            await session.close()
            await composed.close()
            throw error
        }
        let once = self.once
        let work = Task { try await session.runner.run(once: once) }
        let signals = StopSignals(onFirst: { _ in
            logger.notice("stopping: letting in-flight writes finish (press Ctrl-C again to stop at once)")
            work.cancel()
        }, onSecond: {
            console.finish()
            logger.notice("stopped at once; the next run resumes from the ledger")
        })
        for line in RunStatement.start(configuration, sessions: composed, once: once) {
            logger.info("\(line)")
        }
        let board = console.live.map { RunStatusBoard(configuration: configuration, ledger: session.ledger, scale: scale, downloads: downloads).follow(on: $0) }
        let result: Result<RunSummary, Error>
        do { result = .success(try await work.value) } catch { result = .failure(error) }
        board?.cancel()
        console.finish()
        signals.cancel()
        await web?.stop()
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
