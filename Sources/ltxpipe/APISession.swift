import Foundation
import LTXAPI
import LTXSimulator

/// A configured API client, with the in-process simulator behind it when the base is `simulator`.
struct APISession {
    let client: GenerationClient
    let simulator: SimulatorServer?

    /// Why a session could not be opened.
    struct OpenError: Error, CustomStringConvertible {
        let description: String
        let exitStatus: ExitStatus
    }

    static func open(_ options: APIOptions) async throws(OpenError) -> APISession {
        let environment = ProcessInfo.processInfo.environment
        let clock = PipelineClock(scale: options.scale)
        let observer: @Sendable (ClientEvent) -> Void = { ConsoleReporter.report($0) }
        if options.resolvedBase == "simulator" {
            let key = environment["LTX_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? "sim-key"
            let server = SimulatorServer(configuration: SimulatorConfiguration(apiKey: key, timeScale: options.scale))
            let base: URL
            do {
                let v1 = try await server.start()
                base = options.dialect == "ltx-v2" ? v1.deletingLastPathComponent() : v1
            } catch {
                throw OpenError(description: "cannot start the in-process simulator: \(error)", exitStatus: .unavailable)
            }
            Output.error("simulator listening at \(base.absoluteString)")
            let client = GenerationClient(base: base, apiKey: key, dialect: options.dialectValue, clock: clock, observer: observer)
            return APISession(client: client, simulator: server)
        }
        guard let key = environment["LTX_API_KEY"], !key.isEmpty else {
            throw OpenError(description: "LTX_API_KEY is not set: export your API key (or use --api-base simulator)", exitStatus: .account)
        }
        guard let text = options.resolvedBase, let base = URL(string: text) else {
            throw OpenError(description: "no API base URL", exitStatus: .account)
        }
        let client = GenerationClient(base: base, apiKey: key, dialect: options.dialectValue, clock: clock, observer: observer)
        return APISession(client: client, simulator: nil)
    }

    func close() async {
        await simulator?.stop()
    }
}
