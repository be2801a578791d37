/// The account's limits: requests in flight at once and accepted requests per rolling window.
///
/// A value type with explicit times (simulated seconds), so the arithmetic is testable without a clock.
/// 429s are not recorded in the window; only admitted requests are.
struct RateLimiter: Sendable {
    /// The answer to one request.
    enum Decision: Sendable, Equatable {
        /// Go ahead; call ``RateLimiter/release()`` when the request is finished.
        case admitted
        /// Refuse with 429: wait `retryAfter` whole seconds; `reason` says which limit in words, `limit` for machines.
        case limited(retryAfter: Int, reason: String, limit: Limit)
    }

    /// Which of the two limits refused a request.
    enum Limit: Sendable, Equatable {
        /// Too many requests in flight.
        case concurrency
        /// The rolling window's quota is used up.
        case window
    }

    /// Most requests in flight (≤ 0: unlimited).
    let concurrencyLimit: Int
    /// Most admitted requests per window (≤ 0: unlimited).
    let requestsPerWindow: Int
    /// Window length in seconds.
    let windowSeconds: Double

    private(set) var inFlight = 0
    private(set) var peakInFlight = 0
    private(set) var maxRequestsInWindow = 0
    /// Admission times still inside the window, oldest first.
    private var admissions: [Double] = []

    init(concurrencyLimit: Int, requestsPerWindow: Int, windowSeconds: Double) {
        self.concurrencyLimit = concurrencyLimit
        self.requestsPerWindow = requestsPerWindow
        self.windowSeconds = windowSeconds
    }

    /// Decides on a request arriving at `now`.
    mutating func admit(at now: Double) -> Decision {
        if tracksWindow {
            let expired = admissions.prefix { $0 + windowSeconds <= now }.count
            admissions.removeFirst(expired)
        }
        if concurrencyLimit > 0, inFlight >= concurrencyLimit {
            return .limited(retryAfter: 1, reason: "\(inFlight) requests are already in flight (limit \(concurrencyLimit))", limit: .concurrency)
        }
        if requestsPerWindow > 0, admissions.count >= requestsPerWindow, let oldest = admissions.first {
            let wait = (oldest + windowSeconds - now).rounded(.up)
            let seconds = max(1, Int(min(wait, Double(Int32.max))))
            return .limited(
                retryAfter: seconds,
                reason: "\(requestsPerWindow) requests per \(Self.format(windowSeconds)) s already used; retry in \(seconds) s",
                limit: .window)
        }
        if tracksWindow { admissions.append(now) }
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
        maxRequestsInWindow = max(maxRequestsInWindow, admissions.count)
        return .admitted
    }

    /// Whether admissions are remembered (for the limit and for ``maxRequestsInWindow``, even when the limit is off).
    private var tracksWindow: Bool { windowSeconds > 0 && windowSeconds.isFinite }

    /// Marks one admitted request as finished.
    mutating func release() {
        inFlight = max(0, inFlight - 1)
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
