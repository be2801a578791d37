import Foundation
import LTXAPI
import LTXPipeline

/// The endpoints of every provider of a pipeline (`api.providers`), in the file's order: a real service from the
/// environment (each with its own key variable), or an in-process simulator of its own for `base: simulator`.
struct ProviderSessions {
    /// One session per provider; the first is `api`'s.
    let sessions: [APISession]

    /// The first provider's endpoint.
    var endpoint: APIEndpoint { sessions[0].endpoint }
    /// The endpoints of the providers after the first.
    var moreEndpoints: [APIEndpoint] { sessions.dropFirst().map(\.endpoint) }

    /// The real-time scale a pipeline runs at: `--time-scale`, else the simulator's when any provider is simulated.
    static func timeScale(_ configuration: PipelineConfiguration, asked: Double?) -> Double {
        if let asked { return asked }
        let simulated = configuration.providers.contains { base(of: $0) == "simulator" }
        return simulated ? configuration.api.simulator.timeScale : 1
    }

    /// A provider's base: `LTX_API_BASE` for the LTX protocols, else the pipeline file's.
    static func base(of api: PipelineConfiguration.API) -> String {
        api.dialect.environmentBase(ProcessInfo.processInfo.environment) ?? api.base
    }

    /// Opens every provider's endpoint, telling `log` where each in-process simulator listens; one that cannot be
    /// opened closes those already open.
    static func open(_ configuration: PipelineConfiguration, timeScale: Double,
                     log: (String) -> Void = { Output.error($0) }) async throws(APISession.OpenError) -> ProviderSessions {
        var sessions: [APISession] = []
        for api in configuration.providers {
            let session: APISession
            do {
                session = try await APISession.open(base: base(of: api), dialect: api.dialect, timeScale: timeScale,
                                                    simulator: .init(credits: api.simulator.credits, limits: api.limits))
            } catch {
                for session in sessions { await session.close() }
                throw error
            }
            session.announce(to: log)
            sessions.append(session)
        }
        return ProviderSessions(sessions: sessions)
    }

    /// Stops the in-process simulators.
    func close() async {
        for session in sessions { await session.close() }
    }
}
