/// One per process: keeps every API request of every job within the account's limits —
/// at most `maxInFlight` at once and `requestsPerWindow` per rolling `windowSeconds` — submits and polls together.
public actor RateGovernor {
    /// The limits enforced.
    public struct Limits: Sendable, Codable, Equatable {
        /// Requests allowed in flight at once.
        public var inFlight: Int
        /// Requests allowed to start per rolling window.
        public var requestsPerWindow: Int
        /// The window's length in nominal seconds.
        public var windowSeconds: Double

        /// The reference's standard tier: 10 in flight, 100 per 60 s.
        public static let standard = Limits(inFlight: 10, requestsPerWindow: 100, windowSeconds: 60)

        /// Creates limits.
        public init(inFlight: Int, requestsPerWindow: Int, windowSeconds: Double) {
            self.inFlight = inFlight
            self.requestsPerWindow = requestsPerWindow
            self.windowSeconds = windowSeconds
        }
    }

    /// The limits in force.
    public let limits: Limits
    private let clock: PipelineClock
    /// Extra fraction of the window kept free of requests, so the server's own count (which starts a little
    /// later than ours) never sees one request too many.
    private let margin: Double
    private var inFlight = 0
    private var starts: [Double] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: Double = 0
    private(set) var peakInFlight = 0
    private(set) var totalRequests = 0

    /// A governor for `limits`, timed by `clock`.
    public init(limits: Limits = .standard, clock: PipelineClock = PipelineClock(), margin: Double = 0.05) {
        self.limits = limits
        self.clock = clock
        self.margin = margin
    }

    /// Waits until a request may start, then counts it as started and in flight. Pair with `release()`.
    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            if inFlight >= limits.inFlight {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            let now = clock.now()
            if now < pausedUntil {
                try await clock.sleep(pausedUntil - now)
                continue
            }
            let window = limits.windowSeconds * (1 + margin)
            if let firstLive = starts.firstIndex(where: { $0 > now - window }) {
                if firstLive > 0 { starts.removeFirst(firstLive) }
            } else {
                starts.removeAll()
            }
            if starts.count >= limits.requestsPerWindow, let oldest = starts.first {
                try await clock.sleep(oldest + window - now)
                continue
            }
            inFlight += 1
            totalRequests += 1
            peakInFlight = max(peakInFlight, inFlight)
            starts.append(now)
            return
        }
    }

    /// Marks a request finished.
    public func release() {
        inFlight = max(0, inFlight - 1)
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Holds every new request for `seconds` nominal seconds (after a 429's Retry-After).
    public func pause(for seconds: Double) {
        pausedUntil = max(pausedUntil, clock.now() + seconds)
    }

    /// Requests started so far and the most ever in flight at once.
    public func counters() -> (requests: Int, peakInFlight: Int) { (totalRequests, peakInFlight) }
}
