import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM for a command that stops cleanly: the first calls `onFirst` (which starts the stop), a second
/// one ends the process at once with `ExitStatus.interrupted` after `onSecond` prints what the user needs to know.
///
/// `@unchecked Sendable`: `sources` is a `let` set in `init` and never changed; dispatch sources are thread-safe
/// objects (cancel may be called from any thread); the count is behind a mutex.
final class StopSignals: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let received = Mutex(0)

    /// How long `init` waits for the sources to be registered with the kernel.
    static let registrationWait: DispatchTimeInterval = .seconds(5)

    /// Listens for SIGINT and SIGTERM; returns once both sources are registered, so that a signal sent after the
    /// caller says it is running is never lost (libdispatch registers a resumed source later, on its own thread, and a
    /// signal arriving before that is ignored: under load that gap was long enough for a test's SIGINT to vanish).
    init(onFirst: @escaping @Sendable (Int32) -> Void, onSecond: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "ltxpipe.signals")
        let registered = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: queue))
        }
        self.sources = sources
        for (source, number) in zip(sources, [SIGINT, SIGTERM]) {
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let count = self.received.withLock { $0 += 1; return $0 }
                if count > 1 {
                    onSecond()
                    Foundation.exit(ExitStatus.interrupted.rawValue)
                }
                onFirst(number)
            }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
        }
        // A bounded wait on libdispatch's manager thread (not on the cooperative pool's work): milliseconds normally.
        for _ in sources { _ = registered.wait(timeout: .now() + Self.registrationWait) }
    }

    /// Stops listening; the signals' default actions come back.
    func cancel() {
        for (source, number) in zip(sources, [SIGINT, SIGTERM]) {
            source.cancel()
            signal(number, SIG_DFL)
        }
    }
}
