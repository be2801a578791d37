/// Time as the pipeline sees it, in nominal seconds. Production runs on the real clock; tests shrink time by a
/// scale, or drive it by hand with a `ManualTime` so that waits of minutes cost nothing.
public struct PipelineClock: Sendable {
    /// The longest single sleep, in nominal seconds: a server's `Retry-After: 1e300` must not trap or wait for years.
    public static let longestSleep: Double = 7 * 86_400

    /// Real seconds per nominal second (1 in production, e.g. 0.001 in tests; 0 for a manual clock).
    public let scale: Double
    private let origin: ContinuousClock.Instant
    private let manual: ManualTime?

    /// A clock whose nominal seconds last `scale` real seconds.
    public init(scale: Double = 1) {
        self.scale = scale.isFinite ? max(scale, 0) : 1
        origin = ContinuousClock.now
        manual = nil
    }

    /// A clock that reads and sleeps on `time`, which the test advances.
    public init(manual time: ManualTime) {
        scale = 0
        origin = ContinuousClock.now
        manual = time
    }

    /// Nominal seconds since the clock was made.
    public func now() -> Double {
        if let manual { return manual.now }
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return scale > 0 ? seconds / scale : seconds
    }

    /// The shortest real wait of any sleep on a scaled clock. A small time scale (tests, `--time-scale 0.001`) turns
    /// nominal seconds into microseconds; without a floor, every loop that waits between looks (the drop folder,
    /// polls, rate windows) would spin and starve the work it waits for, such as an in-process simulator's renders.
    public static let shortestRealSleep: Double = 0.05

    /// Sleeps `seconds` nominal seconds (clamped to 0…`longestSleep`), never less than `realFloor` real seconds on a
    /// scaled clock; throws when the task is cancelled. A manual clock ignores the floor.
    public func sleep(_ seconds: Double, realFloor: Double = PipelineClock.shortestRealSleep) async throws {
        let bounded = PipelineClock.bounded(seconds)
        if let manual {
            try await manual.sleep(bounded)
            return
        }
        guard bounded > 0, scale > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(for: .seconds(max(bounded * scale, realFloor)))
    }

    /// Real seconds to wait for `nominal` seconds, never less than `realFloor` (0 on a manual clock).
    public func realWait(_ nominal: Double, realFloor: Double = PipelineClock.shortestRealSleep) -> Double {
        guard manual == nil else { return 0 }
        return max(PipelineClock.bounded(nominal) * scale, realFloor)
    }

    /// `seconds` clamped to 0…`longestSleep` (NaN counts as 0).
    public static func bounded(_ seconds: Double) -> Double {
        guard seconds.isFinite else { return seconds > 0 ? longestSleep : 0 }
        return min(max(seconds, 0), longestSleep)
    }

    /// Real seconds that `nominal` seconds last on this clock (0 on a manual clock).
    public func realSeconds(_ nominal: Double) -> Double { nominal * scale }
}
