/// Time as the pipeline sees it: nominal seconds that tests shrink by a scale instead of sleeping minutes.
public struct PipelineClock: Sendable {
    /// Real seconds per nominal second (1 in production, e.g. 0.001 in tests).
    public let scale: Double
    private let origin: ContinuousClock.Instant

    /// A clock whose nominal seconds last `scale` real seconds.
    public init(scale: Double = 1) {
        self.scale = max(scale, 0)
        origin = ContinuousClock.now
    }

    /// Nominal seconds since the clock was made.
    public func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return scale > 0 ? seconds / scale : seconds
    }

    /// Sleeps `seconds` nominal seconds; throws when the task is cancelled.
    public func sleep(_ seconds: Double) async throws {
        guard seconds > 0, scale > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(for: .seconds(seconds * scale))
    }
}
