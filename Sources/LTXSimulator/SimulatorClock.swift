import Foundation

/// Simulated time for one server: real seconds since the server was created divided by the time scale,
/// plus any time a test skipped ahead with ``advance(by:)``.
///
/// Simulated seconds × `timeScale` = real seconds, so with `timeScale = 0.001` a 60 s latency passes in 60 ms.
///
/// `@unchecked Sendable` is sound here: `timeScale`, `origin` and `startDate` are immutable, and the only mutable state,
/// `skipped`, is read and written exclusively while holding `lock`.
final class SimulatorClock: @unchecked Sendable {
    /// Real seconds per simulated second.
    let timeScale: Double
    private let origin: ContinuousClock.Instant
    /// The wall-clock time at which simulated time was 0.
    private let startDate: Date
    private let lock = NSLock()
    private var skipped: Double = 0

    init(timeScale: Double) {
        self.timeScale = timeScale
        self.origin = ContinuousClock.now
        self.startDate = Date()
    }

    /// The calendar date of simulated instant `seconds`: the server's start plus that many seconds, so timestamps
    /// on the wire (`created_at`, `expires_at`) move with simulated time, skips included.
    func date(at seconds: Double) -> Date {
        startDate.addingTimeInterval(seconds)
    }

    /// Simulated seconds elapsed since the clock was created.
    func now() -> Double {
        let elapsed = (ContinuousClock.now - origin).components
        let real = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return real / timeScale + lock.withLock { skipped }
    }

    /// Moves simulated time forward without waiting (latencies, rate windows and sleeps in progress see the jump).
    func advance(by seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        lock.withLock { skipped += seconds }
    }

    /// Waits until `seconds` of simulated time have passed: real time scaled, or sooner when ``advance(by:)`` jumps
    /// ahead (checked at least every 50 ms). Throws when the task is cancelled.
    func sleep(seconds: Double) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        let target = now() + seconds
        while true {
            let remaining = (target - now()) * timeScale
            if remaining <= 0 { return }
            try await Task.sleep(for: .seconds(min(remaining, 0.05)))
        }
    }
}
