import Foundation
import LTXAPI
import LTXCore

/// Why a pipeline could not start.
public enum PipelineStartError: Error, CustomStringConvertible, Sendable {
    /// The ledger cannot be opened.
    case ledger(LedgerError)
    /// The endpoint cannot be used (no key, bad base URL).
    case endpoint(EndpointError)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .ledger(let error): return error.description
        case .endpoint(let error): return error.description
        }
    }
}

/// A pipeline ready to run: its ledger, its API client and its runner. The endpoint is composed by the caller (the
/// command line starts an in-process simulator for `api.base: simulator`), so this library never links a server.
public struct PipelineSession: Sendable {
    /// The runner.
    public let runner: PipelineRunner
    /// The ledger.
    public let ledger: Ledger

    /// The ledger file of a pipeline.
    public static func ledgerPath(_ configuration: PipelineConfiguration) -> String {
        configuration.state + "/ledger.sqlite"
    }

    /// Opens the ledger and a client for `endpoint`.
    public static func open(
        _ configuration: PipelineConfiguration, endpoint: APIEndpoint, clock: PipelineClock? = nil,
        observer: (@Sendable (ClientEvent) -> Void)? = nil, log: @escaping @Sendable (String) -> Void
    ) async throws(PipelineStartError) -> PipelineSession {
        try await open(configuration, endpoint: endpoint, moreEndpoints: [], clock: clock, observer: observer, log: log)
    }

    /// Opens the ledger and one client per provider: `endpoint` for `configuration.api`, each of `moreEndpoints`
    /// for the provider at the same place in `configuration.moreProviders`, each with its provider's catalog and
    /// its own rate governor.
    public static func open(
        _ configuration: PipelineConfiguration, endpoint: APIEndpoint, moreEndpoints: [APIEndpoint], clock: PipelineClock? = nil,
        observer: (@Sendable (ClientEvent) -> Void)? = nil, log: @escaping @Sendable (String) -> Void
    ) async throws(PipelineStartError) -> PipelineSession {
        let ledger: Ledger
        do { ledger = try Ledger(path: ledgerPath(configuration)) } catch { throw .ledger(error) }
        let clock = clock ?? PipelineClock(scale: endpoint.timeScale)
        func client(_ endpoint: APIEndpoint, _ api: PipelineConfiguration.API) -> GenerationClient {
            GenerationClient(
                base: endpoint.base, apiKey: endpoint.apiKey, dialect: api.wireDialect,
                governor: RateGovernor(limits: api.limits, clock: clock), clock: clock, observer: observer
            )
        }
        // Every line the runner writes passes a redactor of the session's keys, whoever supplied `log`.
        let redacted = KeyRedactor(keys: ([endpoint] + moreEndpoints).compactMap(\.apiKey)).redacting(log)
        let runner = PipelineRunner(configuration: configuration, client: client(endpoint, configuration.api),
                                    moreClients: zip(moreEndpoints, configuration.moreProviders).map(client), ledger: ledger, clock: clock, log: redacted)
        return PipelineSession(runner: runner, ledger: ledger)
    }

    /// Opens the ledger and a client for the real service the configuration names (`LTX_API_BASE` and the key from
    /// `environment`).
    public static func open(
        _ configuration: PipelineConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        timeScale: Double? = nil, observer: (@Sendable (ClientEvent) -> Void)? = nil, log: @escaping @Sendable (String) -> Void
    ) async throws(PipelineStartError) -> PipelineSession {
        let endpoint: APIEndpoint
        do {
            endpoint = try APIEndpoint.resolve(base: configuration.api.base, dialect: configuration.api.dialect,
                                               environment: environment, timeScale: timeScale ?? 1)
        } catch { throw .endpoint(error) }
        return try await open(configuration, endpoint: endpoint, observer: observer, log: log)
    }

    /// Nothing to release today; kept so callers close what they open.
    public func close() async {}
}
