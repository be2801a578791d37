import Foundation
import LTXCore

/// The simulator's blocking work runs on lanes of its own: it stands for another service, so its renders never queue
/// behind (or in front of) the client's preflight and verification. Renders and probes take the render lanes; reads
/// of finished files take separate I/O lanes, so a download's body never waits behind a long render (a content
/// fault rendered in a debug build takes seconds).
enum SimulatorWork {
    static let renders = BlockingExecutor(name: "ltxpipe.simulator.render", width: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))
    static let reads = BlockingExecutor(name: "ltxpipe.simulator.read", width: 8)

    /// Runs a render or a probe.
    static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await renders.run(body)
    }

    /// Runs a short read of a finished file.
    static func read<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await reads.run(body)
    }
}
