import Foundation
import LTXAPI
import Testing
@testable import LTXDashboard
@testable import LTXPipeline

/// What the dashboard computes from ledger rows: totals with the rules of `jobs`, counters from the event history,
/// the JSON documents and the Prometheus text.
@Suite("dashboard: summary, JSON and metrics from ledger rows")
struct DashboardRenderingTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC
    static let started = now.addingTimeInterval(-600)

    /// A job in `state`, created `age` seconds before `now`, last changed `changed` seconds before `now`.
    static func job(_ name: String, _ state: JobState, age: Double = 120, changed: Double = 10, cost: Double? = nil, estimate: Double? = nil,
                    prior: Double? = nil, submitted: Double? = nil, reason: JobReason? = nil) -> JobRecord {
        var job = JobRecord(id: "20261118-094000-\(name)-00aa", pipeline: "stills", name: name, inputs: [], now: now.addingTimeInterval(-age))
        job.state = state
        job.updatedAt = now.addingTimeInterval(-changed)
        job.parameters = GenerationParameters(mode: .textToVideo, prompt: "a kite", model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25)
        job.mode = "text-to-video"
        job.cost = cost
        job.estimatedCost = estimate
        job.priorCost = prior
        job.submitStartedAt = submitted.map { now.addingTimeInterval(-$0) }
        job.reason = reason
        if state == .archived { job.bag = "/srv/archive/2026-11-18/\(job.id)" }
        if state == .failed {
            job.failedStage = .verify
            job.detail = "frame count 150 is not 8n+1"
            job.failedFolder = "/srv/failed/\(name)"
        }
        if state == .held { job.resumeState = .preflighted; job.detail = "estimate over the budget" }
        return job
    }

    static let jobs: [JobRecord] = [
        job("kite", .archived, age: 3_600, changed: 3_000, cost: 0.48, estimate: 0.48, submitted: 3_500),
        job("boat", .archived, age: 200_000, changed: 190_000, cost: 0.24, estimate: 0.24, submitted: 199_000),  // two days ago
        job("swan", .submitted, age: 90, changed: 30, estimate: 0.36, submitted: 30),
        job("dune", .held, age: 60, changed: 50, estimate: 0.12, reason: .budget),
        job("moth", .failed, age: 500, changed: 100, cost: 0.24, estimate: 0.24, prior: 0.24, submitted: 400, reason: .verificationFailed),
        job("lark", .preflighted, age: 5, changed: 1),  // price unknown
    ]

    static let events = [
        LedgerEventCount(stage: "submit", outcome: "ok", count: 5),
        LedgerEventCount(stage: "submit", outcome: "started", count: 6),
        LedgerEventCount(stage: "verify", outcome: "failed", count: 2),
        LedgerEventCount(stage: "verify", outcome: "ok", count: 3),
    ]

    static var snapshot: DashboardSnapshot {
        DashboardSnapshot(pipeline: "stills", reportsCost: true, jobs: jobs, events: events, runStartedAt: started, now: now)
    }

    @Test func theSummaryCountsStatesAndMoneyAsJobsDoes() {
        let summary = Self.snapshot.summary
        #expect(summary.jobs == 6)
        #expect(summary.byState[.archived] == 2 && summary.byState[.submitted] == 1 && summary.byState[.held] == 1)
        #expect(summary.byState[.failed] == 1 && summary.byState[.preflighted] == 1 && summary.byState[.detected] == 0)
        #expect(summary.underWay == 2, "submitted and preflighted; held and final jobs are not under way")
        #expect(abs(summary.spent - (0.48 + 0.24 + 0.48)) < 1e-9, "every charge, the retried job's earlier attempt included")
        #expect(abs(summary.spentToday - (0.48 + 0.48)) < 1e-9, "the job submitted two days ago is not today's")
        #expect(abs(summary.estimated - 0.36) < 1e-9 && abs(summary.held - 0.12) < 1e-9)
        #expect(summary.unknownPrice == 1)
        #expect(summary.submits == 5 && summary.verificationFailures == 2, "accepted submits, not attempts")
        #expect(summary.failures.map(\.name) == ["moth"] && summary.failures.first?.stage == "verify")
    }

    @Test func theJobsDocumentHasEveryKeyNewestFirstAndFilters() throws {
        let document = Self.snapshot.jobsDocument(states: nil, limit: nil)
        let object = try #require(JSONSerialization.jsonObject(with: DashboardJSON.data(document)) as? [String: Any])
        #expect(object["pipeline"] as? String == "stills")
        let rows = try #require(object["jobs"] as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["lark", "dune", "swan", "moth", "kite", "boat"], "newest first")
        let keys: Set<String> = ["id", "name", "mode", "state", "reason", "detail", "generation_id", "cost", "cost_basis", "estimated_cost", "prior_cost",
                                 "bag", "failed_folder", "failed_stage", "model", "resolution", "duration", "created_at", "updated_at",
                                 "elapsed_seconds", "in_state_seconds", "step", "poster"]
        for row in rows { #expect(Set(row.keys) == keys, "every key, null where unknown: \(row.keys.sorted())") }
        let swan = try #require(rows.first { $0["name"] as? String == "swan" })
        #expect(swan["state"] as? String == "submitted" && swan["step"] as? Int == 4 && swan["elapsed_seconds"] as? Double == 90)
        #expect(swan["in_state_seconds"] as? Double == 30 && swan["cost"] is NSNull && swan["poster"] is NSNull)
        #expect(swan["model"] as? String == "ltx-2-fast" && swan["resolution"] as? String == "1920x1080" && swan["duration"] as? String == "6 s")
        let kite = try #require(rows.first { $0["name"] as? String == "kite" })
        #expect(kite["poster"] as? String == "/posters/20261118-094000-kite-00aa.jpg" && kite["cost_basis"] as? String == "reported")
        #expect(kite["elapsed_seconds"] as? Double == 600 && kite["in_state_seconds"] is NSNull, "a finished job's time ends at its last change")
        let dune = try #require(rows.first { $0["name"] as? String == "dune" })
        #expect(dune["step"] as? Int == 3, "a held job counts where it resumes")
        #expect(try #require(rows.first { $0["name"] as? String == "moth" })["step"] is NSNull)

        #expect(Self.snapshot.jobsDocument(states: [.archived], limit: nil).jobs.map(\.name) == ["kite", "boat"])
        #expect(Self.snapshot.jobsDocument(states: [.held, .failed], limit: nil).jobs.map(\.name) == ["dune", "moth"])
        #expect(Self.snapshot.jobsDocument(states: nil, limit: 2).jobs.map(\.name) == ["lark", "dune"])
        let estimated = DashboardSnapshot(pipeline: "v2", reportsCost: false, jobs: Self.jobs, events: [], runStartedAt: Self.started, now: Self.now)
        #expect(estimated.jobs.first { $0.name == "kite" }?.costBasis == "estimate" && estimated.summary.costBasis == "estimate")
    }

    @Test func theSummaryJSONHasEveryStateAndRoundedMoney() throws {
        let object = try #require(JSONSerialization.jsonObject(with: DashboardJSON.data(Self.snapshot.summary)) as? [String: Any])
        let states = try #require(object["by_state"] as? [String: Int])
        #expect(Set(states.keys) == Set(JobState.allCases.map(\.rawValue)))
        #expect(object["spent"] as? Double == 1.2 && object["spent_today"] as? Double == 0.96, "\(object)")
        #expect(object["run_started_at"] as? String == "2026-11-18T10:56:40Z" && object["generated_at"] as? String == "2026-11-18T11:06:40Z")
        let failure = try #require((object["failures"] as? [[String: Any]])?.first)
        #expect(failure["reason"] as? String == "verification-failed" && failure["failed_folder"] as? String == "/srv/failed/moth")
    }

    @Test func theMetricsAreValidPrometheusTextWithThePipelineLabel() {
        let text = PrometheusText.render(Self.snapshot)
        let lines = text.split(separator: "\n").map(String.init)
        for state in JobState.allCases { #expect(lines.contains { $0.hasPrefix("ltxpipe_jobs{pipeline=\"stills\",state=\"\(state.rawValue)\"} ") }) }
        #expect(lines.contains("ltxpipe_jobs{pipeline=\"stills\",state=\"archived\"} 2"))
        #expect(lines.contains("ltxpipe_archived_total{pipeline=\"stills\"} 2"))
        #expect(lines.contains("ltxpipe_submits_total{pipeline=\"stills\"} 5"))
        #expect(lines.contains("ltxpipe_verification_failures_total{pipeline=\"stills\"} 2"))
        #expect(lines.contains("ltxpipe_spent_usd_total{pipeline=\"stills\",basis=\"reported\"} 1.2"))
        #expect(lines.contains("ltxpipe_spent_today_usd{pipeline=\"stills\",basis=\"reported\"} 0.96"))
        #expect(lines.contains("ltxpipe_held_usd{pipeline=\"stills\"} 0.12"))
        #expect(lines.contains("# TYPE ltxpipe_submits_total counter") && lines.contains("# TYPE ltxpipe_jobs gauge"))
        // Every line is a comment or `name{labels} value`, and every family is typed before its samples.
        var typed: Set<String> = []
        for line in lines {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("# HELP ") { continue }
            let name = String(line.prefix { $0 != "{" })
            #expect(typed.contains(name), "\(line)")
            #expect(line.range(of: #"^[a-z_]+\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\} -?[0-9.e+-]+$"#, options: .regularExpression) != nil, "\(line)")
        }
        #expect(PrometheusText.escaped("a \"b\"\\c\nd") == "a \\\"b\\\"\\\\c\\nd")
    }

    @Test func addressesAreIPLiteralsAndLoopbackIsTold() throws {
        #expect(try DashboardAddress(parsing: "127.0.0.1:8080") == DashboardAddress(host: "127.0.0.1", port: 8080))
        #expect(try DashboardAddress(parsing: "localhost:0") == DashboardAddress(host: "127.0.0.1", port: 0))
        #expect(try DashboardAddress(parsing: "[::1]:9000").description == "[::1]:9000")
        #expect(try DashboardAddress(parsing: "127.8.9.10:1").isLoopback)
        #expect(try DashboardAddress(parsing: "[::1]:1").isLoopback)
        #expect(try DashboardAddress(parsing: "[::ffff:127.0.0.1]:1").isLoopback)
        #expect(try !DashboardAddress(parsing: "0.0.0.0:8080").isLoopback)
        #expect(try !DashboardAddress(parsing: "192.168.1.5:8080").isLoopback)
        #expect(try !DashboardAddress(parsing: "[::]:8080").isLoopback)
        for bad in ["8080", "example.com:80", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:", "::1:8080", "[::1]8080", "127.0.0.1:８０"] {
            #expect(throws: DashboardAddressError.self, "\(bad)") { try DashboardAddress(parsing: bad) }
        }
        do { _ = try DashboardAddress(parsing: "evil\u{1b}[2J:80") } catch { #expect(!error.description.contains("\u{1b}"), "\(error)") }
        #expect(DashboardResponder.namesLoopback("127.0.0.1:8080") && DashboardResponder.namesLoopback("localhost") && DashboardResponder.namesLoopback("[::1]:80"))
        #expect(!DashboardResponder.namesLoopback("evil.example:8080") && !DashboardResponder.namesLoopback(nil) && !DashboardResponder.namesLoopback("10.0.0.1:80"))
    }
}
