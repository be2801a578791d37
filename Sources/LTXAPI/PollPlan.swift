/// When to poll a generation: the first poll after `first` seconds from the submit, then every `interval` seconds.
/// Made from the latencies this endpoint has shown for the model and size (kept across runs by the caller), so a
/// finished generation is found soon, with few requests; never closer than one second.
public struct PollPlan: Sendable, Equatable {
    /// The shortest gap between two polls of one generation, in seconds.
    public static let closest: Double = 1
    /// The interval the service's documents ask for when nothing is known.
    public static let documented: Double = 5
    /// Latencies needed before they are trusted over the catalog's estimate.
    public static let minimumSamples = 3

    /// Seconds from the submit to the first poll.
    public var first: Double
    /// Seconds between later polls.
    public var interval: Double
    /// Where the numbers came from (`observed`, `catalog`, `documented`), for logs and benchmarks.
    public var basis: String

    /// Creates a plan (both delays at least `closest`).
    public init(first: Double, interval: Double, basis: String) {
        self.first = max(PollPlan.closest, first.isFinite ? first : PollPlan.documented)
        self.interval = max(PollPlan.closest, interval.isFinite ? interval : PollPlan.documented)
        self.basis = basis
    }

    /// The plan for a generation, from observed latencies (seconds from submit to completion) when there are enough,
    /// else the catalog's low/high estimate, else the documented 5 s. `polling` generations share the account's
    /// request rate `requestsPerSecond`: when that rate, not the latency spread, bounds how often each may be
    /// polled, the first poll waits for the slow end of the latencies so that most generations need one poll.
    public static func make(observed: [Double], catalogLatency: (low: Double, high: Double)?, polling: Int,
                            requestsPerSecond: Double) -> PollPlan {
        let low: Double, high: Double, basis: String
        let samples = observed.filter { $0.isFinite && $0 >= 0 }.sorted()
        if samples.count >= minimumSamples {
            low = quantile(samples, 0.1)
            high = quantile(samples, 0.9)
            basis = "observed"
        } else if let catalogLatency, catalogLatency.high > 0 {
            low = catalogLatency.low
            high = max(catalogLatency.low, catalogLatency.high)
            basis = "catalog"
        } else {
            return PollPlan(first: documented, interval: documented, basis: "documented")
        }
        let spreadInterval = max(closest, (high - low) / 4)
        let rateInterval = requestsPerSecond > 0 ? Double(max(1, polling)) / requestsPerSecond : 0
        if rateInterval > spreadInterval {
            // The more the rate binds, the later the first poll: at twice the spread's interval it waits for the slow end.
            let pressure = min(1, (rateInterval - spreadInterval) / spreadInterval)
            return PollPlan(first: low + (high - low) * pressure, interval: rateInterval, basis: basis + ", rate-bound")
        }
        return PollPlan(first: low, interval: spreadInterval, basis: basis)
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard let last = sorted.last else { return documented }
        let position = q * Double(sorted.count - 1)
        let index = Int(position.rounded(.down))
        guard index + 1 < sorted.count else { return last }
        let fraction = position - Double(index)
        return sorted[index] + (sorted[index + 1] - sorted[index]) * fraction
    }
}
