import Foundation
import LTXAPI
import LTXCore
import LTXSimulator

/// An API endpoint composed for a command: a real service from the environment, or an in-process simulator on
/// loopback when the base is `simulator`. The one place the command line turns settings into an endpoint.
struct APISession {
    let endpoint: APIEndpoint
    let simulator: SimulatorServer?

    /// Why a session could not be opened.
    struct OpenError: Error, CustomStringConvertible {
        let description: String
        let exitStatus: ExitStatus
    }

    /// What an in-process simulator is started with.
    struct SimulatorSettings {
        var credits: Double = 100
        var limits: RateGovernor.Limits = .standard
    }

    /// Composes the endpoint for `base` (`simulator` or an http(s) URL) and `dialect`.
    static func open(base: String, dialect: DialectName, timeScale: Double, simulator settings: SimulatorSettings = SimulatorSettings(),
                     log: (String) -> Void = { Output.error($0) }) async throws(OpenError) -> APISession {
        let environment = ProcessInfo.processInfo.environment
        if base == "simulator" {
            // The key the simulator expects is the one the client sends (the dialect's variable, else a stand-in).
            let key = environment[APIEndpoint.keyVariable(for: dialect)].flatMap { $0.isEmpty ? nil : $0 } ?? "sim-key"
            let configuration = SimulatorConfiguration(
                apiKey: key, timeScale: timeScale, concurrencyLimit: settings.limits.inFlight,
                requestsPerWindow: settings.limits.requestsPerWindow, windowSeconds: settings.limits.windowSeconds, credits: settings.credits
            )
            let (server, url) = try await startSimulator(configuration, dialect: dialect, log: log)
            return APISession(endpoint: APIEndpoint(base: url, apiKey: key, dialect: dialect, timeScale: timeScale), simulator: server)
        }
        do {
            var explicit = environment
            if let variable = dialect.baseVariable { explicit[variable] = nil }
            let endpoint = try APIEndpoint.resolve(base: base, dialect: dialect, environment: explicit, timeScale: timeScale)
            return APISession(endpoint: endpoint, simulator: nil)
        } catch {
            throw OpenError(description: error.description, exitStatus: .account)
        }
    }

    /// Starts an in-process simulator and returns it with the base URL `dialect` speaks under. Only the address is
    /// logged; the configuration (which holds the key) is never interpolated into a message.
    private static func startSimulator(_ configuration: SimulatorConfiguration, dialect: DialectName,
                                       log: (String) -> Void) async throws(OpenError) -> (SimulatorServer, URL) {
        let server = SimulatorServer(configuration: configuration)
        let v1: URL
        do { v1 = try await server.start() } catch {
            throw OpenError(description: "cannot start the in-process simulator: \(error)", exitStatus: .unavailable)
        }
        guard let url = URL(string: dialect.base(fromV1: v1.absoluteString)) else {
            throw OpenError(description: "the simulator's address \(v1.absoluteString) cannot be used", exitStatus: .unavailable)
        }
        log("simulator listening at \(url.absoluteString)")
        return (server, url)
    }

    /// The endpoint a command's `--api-base` and `--dialect` name.
    static func open(_ options: APIOptions) async throws(OpenError) -> APISession {
        try await open(base: options.resolvedBase, dialect: options.dialectName, timeScale: options.scale)
    }

    /// A client for the endpoint, reporting its events on stderr.
    func client(catalog: Catalog? = nil, observer: @escaping @Sendable (ClientEvent) -> Void = { ConsoleReporter.report($0) }) -> GenerationClient {
        let clock = PipelineClock(scale: endpoint.timeScale)
        let dialect = catalog.map { endpoint.dialect.dialect(catalog: $0) } ?? endpoint.dialect.dialect
        return GenerationClient(base: endpoint.base, apiKey: endpoint.apiKey, dialect: dialect, clock: clock, observer: observer)
    }

    func close() async {
        await simulator?.stop()
    }
}
