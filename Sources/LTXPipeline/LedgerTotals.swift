import Foundation

/// Jobs by state and money, with the rules of `ltxpipe jobs`' totals: spent is everything charged, earlier attempts
/// of retried jobs included; spent today what was charged for generations submitted on the UTC day of `now` (a job
/// never submitted counts on the day it last changed); estimated the estimates of jobs under way not yet charged;
/// held the estimates of held jobs; unknown price the classified jobs under way or held with no price.
///
/// `Ledger.totals(now:)` computes them in SQL; `init(jobs:now:)` from rows in hand. Both add the money in ledger order
/// (created, then id), so the sums are the same to the last bit where SQLite's `TOTAL` adds one value after another
/// (before SQLite 3.43, which sums with error compensation and so can differ in the last bits).
public struct LedgerTotals: Sendable, Equatable {
    /// Jobs per state, every state present.
    public var byState: [JobState: Int]
    /// USD charged, earlier attempts included.
    public var spent = 0.0
    /// USD charged for generations submitted today (UTC).
    public var spentToday = 0.0
    /// USD estimated for jobs under way and not yet charged.
    public var estimated = 0.0
    /// USD estimated for held jobs.
    public var held = 0.0
    /// Jobs under way or held whose price is unknown.
    public var unknownPrice = 0

    /// Every job of the ledger.
    public var jobs: Int { byState.values.reduce(0, +) }
    /// Jobs neither archived nor failed nor held.
    public var underWay: Int { byState.filter { !$0.key.isFinal && $0.key != .held }.values.reduce(0, +) }

    /// Nothing counted yet.
    init() {
        byState = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
    }

    /// The totals of `jobs` (every job of a ledger, in ledger order) at `now`.
    public init(jobs: [JobRecord], now: Date) {
        self.init()
        let calendar = Self.utcCalendar
        for job in jobs {
            byState[job.state, default: 0] += 1
            if let charged = job.totalCost {
                spent += charged
                if calendar.isDate(job.submitStartedAt ?? job.updatedAt, inSameDayAs: now) { spentToday += charged }
            }
            guard job.cost == nil, !job.state.isFinal, job.parameters != nil else { continue }
            guard let estimate = job.estimatedCost else { unknownPrice += 1; continue }
            if job.state == .held { held += estimate } else { estimated += estimate }
        }
    }

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }
}
