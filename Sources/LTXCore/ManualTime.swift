import Synchronization

/// Time that moves only when told, for tests: with `autoAdvance` every sleep moves time forward at once by the
/// amount asked (and is recorded), so code that waits minutes runs in microseconds and the test can read the waits.
public final class ManualTime: Sendable {
    private struct State {
        var now: Double
        var sleeps: [Double] = []
        var sleepers: [(wake: Double, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>
    /// True when sleeps advance time themselves.
    public let autoAdvance: Bool

    /// Time starting at `start` nominal seconds.
    public init(start: Double = 0, autoAdvance: Bool = true) {
        state = Mutex(State(now: start))
        self.autoAdvance = autoAdvance
    }

    /// The current nominal time.
    public var now: Double { state.withLock { $0.now } }

    /// Every sleep asked for so far, in order.
    public var sleeps: [Double] { state.withLock { $0.sleeps } }

    /// Moves time forward by `seconds` and wakes every sleeper that is due.
    public func advance(by seconds: Double) {
        let due = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.now += max(0, seconds)
            let now = state.now
            let ready = state.sleepers.filter { $0.wake <= now }.map(\.continuation)
            state.sleepers.removeAll { $0.wake <= now }
            return ready
        }
        due.forEach { $0.resume() }
    }

    func sleep(_ seconds: Double) async throws {
        try Task.checkCancellation()
        if autoAdvance {
            state.withLock { state in
                state.sleeps.append(seconds)
                state.now += seconds
            }
            await Task.yield()
            try Task.checkCancellation()
            return
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.sleeps.append(seconds)
                if seconds <= 0 { return true }
                state.sleepers.append((state.now + seconds, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
        try Task.checkCancellation()
    }
}
