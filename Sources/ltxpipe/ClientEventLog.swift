import LTXAPI
import Logging

/// The level and the line of each client event in the log of `run` and `generate`: problems at warning, waits
/// for a reason other than the next poll at notice, routine traffic at debug. `generate` without a live block
/// keeps status changes, polls and download progress at info (they are its progress); with the block, or in a
/// pipeline (whose runner logs each job's steps), they are debug.
enum ClientEventLog {
    static func entry(_ event: ClientEvent, progressInLog: Bool) -> (level: Logger.Level, message: String) {
        let progress: Logger.Level = progressInLog ? .info : .debug
        switch event {
        case .call(let call):
            if let error = call.error { return (.warning, "\(call.endpoint) \(call.method) \(call.url): \(error)") }
            let status = call.status ?? 0
            let line = "\(call.endpoint) \(call.method) \(call.url): HTTP \(status)" + (call.requestID.map { " (request \($0))" } ?? "")
            return ((200..<300).contains(status) ? .debug : .warning, line)
        case .waiting(let seconds, let reason):
            let line = "waiting \(String(format: "%.1f", seconds)) s: \(reason)"
            return (reason.contains("next poll") ? progress : .notice, line)
        case .status(let status):
            return (progress, "generation \(status.id): \(status.state.rawValue)" + (status.cost.map { String(format: ", cost $%.2f", $0) } ?? ""))
        case .downloading(let bytes, let total):
            return (progress, "downloaded " + StatusFigures.download(bytes: bytes, total: total))
        case .warning(let message):
            return (.warning, "warning: \(message)")
        }
    }

    /// Logs `event` through `logger`.
    static func log(_ event: ClientEvent, to logger: Logger, progressInLog: Bool) {
        let (level, message) = entry(event, progressInLog: progressInLog)
        logger.log(level: level, "\(message)")
    }
}
