import ArgumentParser
import Foundation
import LTXDashboard
import LTXPipeline

/// `run --http ADDRESS [--http-allow-remote]`: the read-only dashboard beside a run.
struct DashboardOptions: ParsableArguments {
    @Option(name: .customLong("http"), help: ArgumentHelp(
        "Serve a read-only dashboard while the pipeline runs: the page at /, JSON at /api/jobs (?state=S,S&limit=N) and /api/summary, "
            + "Prometheus metrics at /metrics. HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any free port; the address is printed at start).",
        valueName: "address"))
    var http: String?

    @Flag(name: .customLong("http-allow-remote"),
          help: "Let --http listen on an address other machines can reach (anyone who connects sees job names, states, reasons and costs).")
    var allowRemote = false

    func validate() throws {
        guard let http else {
            if allowRemote { throw ValidationError("--http-allow-remote needs --http ADDRESS") }
            return
        }
        let address: DashboardAddress
        do { address = try DashboardAddress(parsing: http) } catch { throw ValidationError(error.description) }
        if !address.isLoopback && !allowRemote {
            throw ValidationError("--http \(address): not a loopback address; anyone who can connect would see job names, states and costs; "
                                  + "add --http-allow-remote to listen there anyway")
        }
    }

    /// Starts the dashboard of `session` when `--http` was given and prints where it listens (with a warning when
    /// other machines can reach it). A port in use exits 5, any other failure to listen 2.
    func start(_ session: PipelineSession, configuration: PipelineConfiguration) async throws -> DashboardServer? {
        guard let http, let address = try? DashboardAddress(parsing: http) else { return nil }
        let source = DashboardSource(pipeline: configuration.name, ledger: session.ledger,
                                     reportsCost: configuration.api.dialect.capabilities.reportsCost)
        let server: DashboardServer
        do {
            server = try await DashboardServer.start(source: source, archive: configuration.archive, at: address, log: { Output.error($0) })
        } catch {
            Output.error(error.description)
            throw (error.addressInUse ? ExitStatus.busy : ExitStatus.badInput).exitCode
        }
        if !address.isLoopback {
            Output.error("warning: the dashboard listens on \(address), which other machines can reach: anyone who connects sees job names, "
                         + "states, reasons and costs (never a key)")
        }
        Output.error("dashboard: \(server.url) (read-only: /api/jobs, /api/summary, /metrics)")
        return server
    }
}
