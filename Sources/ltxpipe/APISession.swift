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

    /// The address of the in-process simulator, when the session started one.
    var simulatorAddress: String? { simulator == nil ? nil : endpoint.base.absoluteString }

    /// Composes the endpoint for `base` (`simulator` or an http(s) URL) and `dialect`. Writes nothing: the caller
    /// announces the simulator (`announce(to:)`), so no line is written where the key is read.
    static func open(base: String, dialect: DialectName, timeScale: Double,
                     simulator settings: SimulatorSettings = SimulatorSettings()) async throws(OpenError) -> APISession {
        let environment = ProcessInfo.processInfo.environment
        if base == "simulator" {
            // The key the simulator expects is the one the client sends (the dialect's variable, else a stand-in).
            let key = environment[APIEndpoint.keyVariable(for: dialect)].flatMap { $0.isEmpty ? nil : $0 } ?? "sim-key"
            let configuration = SimulatorConfiguration(
                apiKey: key, timeScale: timeScale, concurrencyLimit: settings.limits.inFlight,
                requestsPerWindow: settings.limits.requestsPerWindow, windowSeconds: settings.limits.windowSeconds, credits: settings.credits
            )
            let (server, url) = try await startSimulator(configuration, dialect: dialect)
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

    /// Starts an in-process simulator and returns it with the base URL `dialect` speaks under.
    private static func startSimulator(_ configuration: SimulatorConfiguration,
                                       dialect: DialectName) async throws(OpenError) -> (SimulatorServer, URL) {
        let server = SimulatorServer(configuration: configuration)
        let v1: URL
        do { v1 = try await server.start() } catch {
            throw OpenError(description: "cannot start the in-process simulator: \(error)", exitStatus: .unavailable)
        }
        guard let url = URL(string: dialect.base(fromV1: v1.absoluteString)) else {
            throw OpenError(description: "the simulator's address \(v1.absoluteString) cannot be used", exitStatus: .unavailable)
        }
        return (server, url)
    }

    /// Tells `log` where the in-process simulator listens, when the session started one (only the address).
    func announce(to log: (String) -> Void) {
        if let simulatorAddress { log("simulator listening at \(simulatorAddress)") }
    }

    /// The endpoint a command's `--api-base` and `--dialect` name.
    static func open(_ options: APIOptions) async throws(OpenError) -> APISession {
        let session = try await open(base: options.resolvedBase, dialect: options.dialectName, timeScale: options.scale)
        session.announce(to: { Output.error($0) })
        return session
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
