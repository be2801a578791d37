import Foundation
import LTXCore

/// The simulator's blocking work (renders, probes, file reads) runs on lanes of its own: it stands for another
/// service, so its renders never queue behind (or in front of) the client's preflight and verification, and it
/// has more lanes than cores: one long render (a content fault in a debug build) must not hold up a short one.
enum SimulatorWork {
    static let executor = BlockingExecutor(name: "ltxpipe.simulator", width: max(8, 2 * ProcessInfo.processInfo.activeProcessorCount))

    static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await executor.run(body)
    }
}
