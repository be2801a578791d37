import Foundation
import LTXAPI
import Testing
@testable import LTXDashboard
@testable import LTXPipeline

/// The dashboard's light reads (totals in SQL, listings of a few columns) against the same jobs' full rows: the same
/// summary, to the bit, and the same listings.
@Suite("dashboard: SQL totals and light listings equal the rules applied to full rows")
struct DashboardLedgerReadTests {
    typealias Fixture = DashboardRenderingTests

    /// The rendering fixture, plus two jobs failed at the same moment (their order is the ledger's), a held job with
    /// no price and a job charged yesterday but never marked submitted.
    static var jobs: [JobRecord] {
        let extra = [
            Fixture.job("wren", .failed, age: 700, changed: 100, cost: 0.1, estimate: 0.1, submitted: 650, reason: .downloadFailed),
            Fixture.job("tern", .failed, age: 800, changed: 100, reason: "no-prompt"),
            Fixture.job("hare", .held, age: 40, changed: 20, reason: .priceUnknown),
            Fixture.job("vole", .archived, age: 90_000, changed: 86_500, cost: 1.0 / 3.0),
        ]
        return (Fixture.jobs + extra).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    static func ledger(_ jobs: [JobRecord]) async throws -> (Ledger, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-read-\(UUID().uuidString)").path
        let ledger = try Ledger(path: folder + "/ledger.sqlite")
        for job in jobs {
            try await ledger.insert(job, event: JobEvent(jobID: job.id, at: job.createdAt, stage: .detect, outcome: "ok"))
        }
        return (ledger, folder)
    }

    @Test func theSummaryAndListingsReadFromTheLedgerAreThoseOfItsRows() async throws {
        let (ledger, folder) = try await Self.ledger(Self.jobs)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = try await ledger.jobs()
        let events = try await ledger.eventCounts()
        let now = Fixture.now
        let source = DashboardSource(pipeline: "stills", ledger: ledger, reportsCost: true, runStartedAt: Fixture.started,
                                     minimumInterval: .zero, now: { now })
        let whole = DashboardSnapshot(pipeline: "stills", reportsCost: true, jobs: rows, events: events, runStartedAt: Fixture.started, now: now)

        #expect(try await ledger.totals(now: now) == LedgerTotals(jobs: rows, now: now), "the same sums to the last bit")
        let read = try await source.snapshot()
        #expect(read.summary == whole.summary)
        #expect(read.jobs.isEmpty, "the summary alone reads no job")
        #expect(read.summary.failures.map(\.name) == ["tern", "wren", "moth"], "the last failed first; a tie in the ledger's order")
        #expect(read.summary.unknownPrice == 2 && read.summary.jobs == 10)

        for query in [DashboardJobQuery(), DashboardJobQuery(limit: 3), DashboardJobQuery(states: [.archived]),
                      DashboardJobQuery(states: [.held, .failed], limit: 2), DashboardJobQuery(states: [.detected])] {
            let listed = try await source.snapshot(listing: query)
            #expect(listed.jobs == whole.jobsDocument(states: query.states, limit: query.limit).jobs, "\(query)")
            #expect(listed.jobsDocument(states: query.states, limit: query.limit).jobs == listed.jobs)
        }
        let kite = try #require(whole.jobs.first { $0.name == "kite" })
        #expect(try await source.job(kite.id) == kite)
        #expect(try await source.job("20261118-000000-none-0000") == nil)
    }
}
