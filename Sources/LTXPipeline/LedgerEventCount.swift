/// The number of ledger events with one stage and outcome (`submit`/`ok`, `verify`/`failed`, ...).
public struct LedgerEventCount: Sendable, Equatable {
    /// The stage, as stored.
    public var stage: String
    /// The outcome, as stored.
    public var outcome: String
    /// Events with both.
    public var count: Int

    /// A count.
    public init(stage: String, outcome: String, count: Int) {
        self.stage = stage
        self.outcome = outcome
        self.count = count
    }
}
