import Foundation
import LTXAPI

/// Prints the client's events on stderr as a person follows them: status changes, waits, download progress.
enum ConsoleReporter {
    static func report(_ event: ClientEvent) {
        switch event {
        case .call(let call):
            if let error = call.error {
                Output.error("\(call.endpoint) \(call.method) \(call.url): \(error)")
            } else if let status = call.status, !(200..<300).contains(status) {
                Output.error("\(call.endpoint) \(call.method) \(call.url): HTTP \(status)" + (call.requestID.map { " (request \($0))" } ?? ""))
            }
        case .waiting(let seconds, let reason):
            Output.error("waiting \(String(format: "%.1f", seconds)) s: \(reason)")
        case .status(let status):
            Output.error("generation \(status.id): \(status.state.rawValue)" + (status.cost.map { String(format: ", cost $%.2f", $0) } ?? ""))
        case .downloading(let bytes, let total):
            let t = total.map { String(format: " of %.1f MB", Double($0) / 1e6) } ?? ""
            Output.error(String(format: "downloaded %.1f MB", Double(bytes) / 1e6) + t)
        case .warning(let message):
            Output.error("warning: \(message)")
        }
    }
}
