import Foundation
import LTXAPI
import LTXMedia
import LTXPipeline
import Logging

/// What `run` says about itself: at start, what it watches and where it writes; for each runner line, its level.
enum RunStatement {
    /// The start-up lines: the drop folder, the archive, the failed folder, the state folder and ledger, the service
    /// (protocol and base; never the key) and how videos are verified.
    static func start(_ configuration: PipelineConfiguration, sessions: ProviderSessions, once: Bool) -> [String] {
        let verify = configuration.verify
        let content = verify.mode != .quick && verify.content != nil ? " with content checks" : ""
        let service = zip(configuration.providers, sessions.sessions).map { api, session in
            "\(api.dialect.rawValue) at \(session.endpoint.base.absoluteString)" + (session.simulator != nil ? " (in-process simulator)" : "")
        }.joined(separator: ", ")
        return [
            "\(configuration.name): watching \(configuration.drop); bags into \(configuration.archive), failures into \(configuration.failed), "
                + "state in \(configuration.state), ledger \(PipelineSession.ledgerPath(configuration)) (pid \(getpid()))"
                + (once ? "; --once" : "; SIGINT or SIGTERM stops"),
            "\(configuration.name): api \(service); verification \(verify.mode.rawValue)\(content)",
        ]
    }

    /// The level of a runner line: failures, holds and what could not be done are warnings, the rest information.
    static func level(of line: String) -> Logger.Level {
        let warnings = [": failed at ", ": held (", "claim held (", ": cannot ", "could not be filed", "notify: "]
        return warnings.contains { line.contains($0) } ? .warning : .info
    }
}
