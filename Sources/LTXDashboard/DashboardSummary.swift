import Foundation
import LTXPipeline

/// A pipeline at a glance, as `/api/summary` gives it: jobs by state and money with the rules of `ltxpipe jobs`'
/// totals (spent: everything charged, earlier attempts of retried jobs included; estimated: estimates of jobs under
/// way not yet charged; held: estimates of held jobs), money spent today (UTC; a job counts on the day its
/// generation was submitted, as `ltxpipe spend` counts it), counters from the ledger's history and recent failures.
public struct DashboardSummary: Sendable, Encodable, Equatable {
    /// The pipeline's name.
    public var pipeline: String
    /// `reported` when the service reports what it charges, `estimate` when costs are price-table estimates.
    public var costBasis: String
    /// When this summary was read from the ledger.
    public var generatedAt: Date
    /// When the run serving the dashboard started.
    public var runStartedAt: Date
    /// Jobs in the ledger.
    public var jobs: Int
    /// Jobs per state, every state present.
    public var byState: [JobState: Int]
    /// Jobs neither archived nor failed nor held.
    public var underWay: Int
    /// USD charged, earlier attempts included.
    public var spent: Double
    /// USD charged for generations submitted today (UTC).
    public var spentToday: Double
    /// USD estimated for jobs under way and not yet charged.
    public var estimated: Double
    /// USD estimated for held jobs.
    public var held: Double
    /// Jobs under way or held whose price is unknown.
    public var unknownPrice: Int
    /// Submits the service accepted (ledger events `submit`/`ok`).
    public var submits: Int
    /// Deliveries that failed verification (ledger events `verify`/`failed`).
    public var verificationFailures: Int
    /// The latest failed jobs, newest first (at most `DashboardSummary.failureLimit`).
    public var failures: [DashboardFailure]

    /// How many failures the summary lists.
    public static let failureLimit = 20

    /// The summary of `jobs` (every job of the ledger, in ledger order) and the ledger's event counts, at `now`.
    public init(pipeline: String, reportsCost: Bool, jobs records: [JobRecord], events: [LedgerEventCount], runStartedAt: Date, now: Date) {
        // The last failed first; at the same moment, in ledger order (as `Ledger.latestFailures` orders them).
        let failed = records.filter { $0.state == .failed }.sorted { ($0.updatedAt, $1.createdAt, $1.id) > ($1.updatedAt, $0.createdAt, $0.id) }
            .prefix(Self.failureLimit)
        self.init(pipeline: pipeline, reportsCost: reportsCost, totals: LedgerTotals(jobs: records, now: now), failures: failed.map(JobOverview.init),
                  events: events, runStartedAt: runStartedAt, now: now)
    }

    /// The summary of a ledger's `totals` at `now`, its latest `failures` (the last failed first) and its event counts.
    public init(pipeline: String, reportsCost: Bool, totals: LedgerTotals, failures failed: [JobOverview], events: [LedgerEventCount],
                runStartedAt: Date, now: Date) {
        self.pipeline = pipeline
        costBasis = reportsCost ? "reported" : "estimate"
        generatedAt = now
        self.runStartedAt = runStartedAt
        jobs = totals.jobs
        byState = totals.byState
        underWay = totals.underWay
        spent = totals.spent
        spentToday = totals.spentToday
        estimated = totals.estimated
        held = totals.held
        unknownPrice = totals.unknownPrice
        let count = { (stage: JobStage, outcome: String) in
            events.filter { $0.stage == stage.rawValue && $0.outcome == outcome }.reduce(0) { $0 + $1.count }
        }
        submits = count(.submit, "ok")
        verificationFailures = count(.verify, "failed")
        failures = failed.prefix(Self.failureLimit).map {
            DashboardFailure(id: $0.id, name: $0.name, stage: $0.failedStage?.rawValue, reason: $0.reason?.rawValue, detail: $0.detail,
                             failedFolder: $0.failedFolder, at: $0.updatedAt)
        }
    }

    enum CodingKeys: String, CodingKey {
        case pipeline, jobs, spent, estimated, held, submits, failures
        case costBasis = "cost_basis", generatedAt = "generated_at", runStartedAt = "run_started_at", byState = "by_state"
        case underWay = "under_way", spentToday = "spent_today", unknownPrice = "unknown_price"
        case verificationFailures = "verification_failures"
    }

    /// Every key present; money rounded to a ten-thousandth of a dollar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(costBasis, forKey: .costBasis)
        try container.encode(DashboardJSON.time(generatedAt), forKey: .generatedAt)
        try container.encode(DashboardJSON.time(runStartedAt), forKey: .runStartedAt)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(Dictionary(uniqueKeysWithValues: byState.map { ($0.key.rawValue, $0.value) }), forKey: .byState)
        try container.encode(underWay, forKey: .underWay)
        try container.encode(DashboardJSON.money(spent), forKey: .spent)
        try container.encode(DashboardJSON.money(spentToday), forKey: .spentToday)
        try container.encode(DashboardJSON.money(estimated), forKey: .estimated)
        try container.encode(DashboardJSON.money(held), forKey: .held)
        try container.encode(unknownPrice, forKey: .unknownPrice)
        try container.encode(submits, forKey: .submits)
        try container.encode(verificationFailures, forKey: .verificationFailures)
        try container.encode(failures, forKey: .failures)
    }
}
