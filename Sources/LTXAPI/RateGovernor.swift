import LTXCore

/// One per process: keeps every API request of every job within the account's limits —
/// at most `maxInFlight` at once and `requestsPerWindow` per rolling `windowSeconds` — submits and polls together.
public actor RateGovernor {
    /// The limits enforced.
    public struct Limits: Sendable, Codable, Equatable {
        /// Generations the account runs at once (from an accepted submit until the generation ends); nil when the
        /// service documents no such limit. Not the number of HTTP requests: see `GenerationSlots`.
        public var generations: Int?
        /// Requests allowed in flight at once.
        public var inFlight: Int
        /// Requests allowed to start per rolling window.
        public var requestsPerWindow: Int
        /// The window's length in nominal seconds.
        public var windowSeconds: Double

        /// The reference's standard tier: 10 in flight, 100 per 60 s.
        public static let standard = Limits(inFlight: 10, requestsPerWindow: 100, windowSeconds: 60)

        /// Creates limits.
        public init(generations: Int? = nil, inFlight: Int = 10, requestsPerWindow: Int = 100, windowSeconds: Double = 60) {
            self.generations = generations
            self.inFlight = inFlight
            self.requestsPerWindow = requestsPerWindow
            self.windowSeconds = windowSeconds
        }
    }

    /// The limits in force.
    public let limits: Limits
    private let clock: PipelineClock
    private var inFlight = 0
    /// When each finished request's response arrived, oldest first. A request counts toward the window from the
    /// moment it starts until `windowSeconds` after its response: the server admitted it somewhere in between,
    /// so however late the server's own clock saw it, this count is never lower than the server's.
    private var completions: [Double] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: Double = 0
    private var peakInFlight = 0
    private var totalRequests = 0

    /// A governor for `limits`, timed by `clock`.
    public init(limits: Limits = .standard, clock: PipelineClock = PipelineClock()) {
        self.limits = limits
        self.clock = clock
    }

    /// Waits until a request may start, then counts it as in flight. Pair with `release()`.
    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            if now < pausedUntil {
                try await clock.sleep(pausedUntil - now)
                continue
            }
            if let live = completions.firstIndex(where: { $0 > now - limits.windowSeconds }) {
                if live > 0 { completions.removeFirst(live) }
            } else {
                completions.removeAll()
            }
            if inFlight >= limits.inFlight || (inFlight + completions.count >= limits.requestsPerWindow && completions.isEmpty) {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            if inFlight + completions.count >= limits.requestsPerWindow, let oldest = completions.first {
                try await clock.sleep(oldest + limits.windowSeconds - now)
                continue
            }
            inFlight += 1
            totalRequests += 1
            peakInFlight = max(peakInFlight, inFlight)
            return
        }
    }

    /// Marks a request finished (its response arrived or its transfer broke).
    public func release() {
        inFlight = max(0, inFlight - 1)
        completions.append(clock.now())
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Holds every new request for `seconds` nominal seconds (after a 429's Retry-After).
    public func pause(for seconds: Double) {
        pausedUntil = max(pausedUntil, clock.now() + seconds)
    }

    /// Requests started so far and the most ever in flight at once.
    public func counters() -> (requests: Int, peakInFlight: Int) { (totalRequests, peakInFlight) }
}
