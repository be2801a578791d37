import Foundation
import LTXPipeline

/// What the dashboard serves, read from the ledger: the summary of every job, and the jobs a request lists.
public struct DashboardSnapshot: Sendable {
    /// The jobs listed, newest first: those a `DashboardJobQuery` chose (`DashboardSource`), or every job.
    public var jobs: [DashboardJob]
    /// Totals, counters and recent failures.
    public var summary: DashboardSummary

    /// The snapshot of every job of a ledger (`jobs`, in ledger order) and its `events` at `now`.
    public init(pipeline: String, reportsCost: Bool, jobs records: [JobRecord], events: [LedgerEventCount], runStartedAt: Date, now: Date) {
        jobs = records.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map { DashboardJob($0, reportsCost: reportsCost, now: now) }
        summary = DashboardSummary(pipeline: pipeline, reportsCost: reportsCost, jobs: records, events: events, runStartedAt: runStartedAt, now: now)
    }

    /// A snapshot listing `jobs` (newest first) beside `summary`.
    public init(summary: DashboardSummary, jobs: [DashboardJob]) {
        self.summary = summary
        self.jobs = jobs
    }

    /// The `/api/jobs` answer: the pipeline, when it was read, and the jobs in `states` (all when nil), newest first,
    /// at most `limit` of them.
    public func jobsDocument(states: Set<JobState>?, limit: Int?) -> DashboardJobList {
        var chosen = jobs.filter { states?.contains($0.state) ?? true }
        if let limit { chosen = Array(chosen.prefix(max(0, limit))) }
        return DashboardJobList(pipeline: summary.pipeline, generatedAt: summary.generatedAt, jobs: chosen)
    }
}

/// The `/api/jobs` answer.
public struct DashboardJobList: Sendable, Encodable {
    /// The pipeline's name.
    public var pipeline: String
    /// When the ledger was read.
    public var generatedAt: Date
    /// The jobs, newest first.
    public var jobs: [DashboardJob]

    enum CodingKeys: String, CodingKey {
        case pipeline, jobs
        case generatedAt = "generated_at"
    }

    /// `generated_at` as ISO 8601.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(DashboardJSON.time(generatedAt), forKey: .generatedAt)
        try container.encode(jobs, forKey: .jobs)
    }
}
