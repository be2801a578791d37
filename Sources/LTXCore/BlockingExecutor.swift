import Foundation
import Synchronization

/// A fixed set of threads that runs blocking work (FFmpeg calls, file I/O, libcurl transfers) so that it never
/// occupies Swift's cooperative pool, whatever the number of jobs: work beyond the width waits in a queue.
/// The shape of SwiftNIO's `NIOThreadPool`. See docs/ARCHITECTURE.md, "Blocking work".
public final class BlockingExecutor: Sendable {
    /// CPU-bound work: one lane per core.
    public static let shared = BlockingExecutor(name: "ltxpipe.blocking", width: ProcessInfo.processInfo.activeProcessorCount)

    /// The number of threads.
    public let width: Int
    private let state = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts `width` threads (at least one) named `name`.
    public init(name: String, width: Int) {
        self.width = max(1, width)
        for lane in 0..<self.width {
            let thread = Thread { [self] in self.serve() }
            thread.name = "\(name).\(lane)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func serve() {
        while true {
            available.wait()
            let next = state.withLock { queue in queue.isEmpty ? nil : queue.removeFirst() }
            next?()
        }
    }

    /// Queues `body` and returns at once; `body` runs on one of the executor's threads.
    public func submit(_ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.append(body) }
        available.signal()
    }

    /// Runs `body` on one of the executor's threads and returns its result. The caller's `StageDeadline.current`
    /// is bound on that thread while `body` runs.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let deadline = StageDeadline.current
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            submit {
                let outcome = StageDeadline.$current.withValue(deadline) { () -> Result<T, E> in
                    do throws(E) { return .success(try body()) } catch { return .failure(error) }
                }
                continuation.resume(returning: outcome)
            }
        }
        return try result.get()
    }
}
