/// Generations the account runs at once: a slot is taken before a submit and given back when the generation ends
/// (completed, failed, refused, or abandoned), so the client never causes a concurrency 429 itself. This is not the
/// number of HTTP requests in flight, which `RateGovernor` keeps.
public actor GenerationSlots {
    /// The limit; nil for none.
    public let limit: Int?
    private var taken: Set<String> = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var peak = 0

    /// Slots for `limit` generations at once (nil: unlimited).
    public init(limit: Int?) {
        self.limit = limit.map { max(1, $0) }
    }

    /// Waits for a free slot and takes it for `holder`; returns at once when `holder` already has one.
    public func acquire(for holder: String) async throws {
        while !taken.contains(holder) {
            try Task.checkCancellation()
            if let limit, taken.count >= limit {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            take(holder)
        }
    }

    /// Takes a slot for a generation already running on the service (found in the ledger at start), even past the
    /// limit: it counts there whether or not it fits here.
    public func adopt(_ holder: String) {
        if !taken.contains(holder) { take(holder) }
    }

    /// Gives back `holder`'s slot, if it has one.
    public func release(_ holder: String) {
        guard taken.remove(holder) != nil else { return }
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Generations running now, and the most there have been at once.
    public func counts() -> (running: Int, peak: Int) { (taken.count, peak) }

    private func take(_ holder: String) {
        taken.insert(holder)
        peak = max(peak, taken.count)
    }
}
