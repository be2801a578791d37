import Foundation
import LTXAPI
import LTXSimulator

/// Why a pipeline could not start.
public struct PipelineStartError: Error, CustomStringConvertible, Sendable {
    /// One line a user can act on.
    public var description: String
    /// PRODUCT.md exit code: 3 for bad configuration, 4 when the API (or simulator) cannot be reached.
    public var exitCode: Int32
}

/// A pipeline ready to run: its ledger, its API client (with the in-process simulator when `api.base` is
/// `simulator`) and its runner.
public struct PipelineSession: Sendable {
    /// The runner.
    public let runner: PipelineRunner
    /// The ledger.
    public let ledger: Ledger
    /// The simulator, when the pipeline uses one.
    public let simulator: SimulatorServer?

    /// The ledger file of a pipeline.
    public static func ledgerPath(_ configuration: PipelineConfiguration) -> String {
        configuration.state + "/ledger.sqlite"
    }

    /// Opens the ledger and the API. `environment` supplies `LTX_API_KEY` and `LTX_API_BASE`.
    public static func open(
        _ configuration: PipelineConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        timeScale: Double? = nil, observer: (@Sendable (ClientEvent) -> Void)? = nil, log: @escaping @Sendable (String) -> Void
    ) async throws(PipelineStartError) -> PipelineSession {
        let dialect: any Dialect = configuration.api.dialect == "ltx-v2" ? LTXV2Dialect() : GenerationsDialect()
        let ledger: Ledger
        do { ledger = try Ledger(path: ledgerPath(configuration)) } catch {
            throw PipelineStartError(description: error.description, exitCode: 3)
        }
        let base = environment["LTX_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? configuration.api.base
        var simulator: SimulatorServer? = nil
        let url: URL
        let key: String
        let scale: Double
        if base == "simulator" {
            key = environment["LTX_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? "sim-key"
            scale = timeScale ?? configuration.api.simulator.timeScale
            let server = SimulatorServer(configuration: SimulatorConfiguration(
                apiKey: key, timeScale: scale,
                concurrencyLimit: configuration.api.limits.inFlight, requestsPerWindow: configuration.api.limits.requestsPerWindow,
                windowSeconds: configuration.api.limits.windowSeconds, credits: configuration.api.simulator.credits
            ))
            do {
                let v1 = try await server.start()
                url = configuration.api.dialect == "ltx-v2" ? v1.deletingLastPathComponent() : v1
            } catch {
                throw PipelineStartError(description: "cannot start the in-process simulator: \(error)", exitCode: 4)
            }
            simulator = server
            log("simulator listening at \(url.absoluteString)")
        } else {
            guard let parsed = URL(string: base), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw PipelineStartError(description: "\(configuration.file): api.base \(base) is not an http(s) URL", exitCode: 3)
            }
            guard let value = environment["LTX_API_KEY"], !value.isEmpty else {
                throw PipelineStartError(description: "LTX_API_KEY is not set: export your API key before running \(configuration.file)", exitCode: 3)
            }
            url = parsed
            key = value
            scale = timeScale ?? 1
        }
        let clock = PipelineClock(scale: scale)
        let client = GenerationClient(
            base: url, apiKey: key, dialect: dialect,
            governor: RateGovernor(limits: configuration.api.limits, clock: clock), clock: clock, observer: observer
        )
        let runner = PipelineRunner(configuration: configuration, client: client, ledger: ledger, clock: clock, log: log)
        return PipelineSession(runner: runner, ledger: ledger, simulator: simulator)
    }

    /// Stops the simulator, if any.
    public func close() async {
        await simulator?.stop()
    }
}
