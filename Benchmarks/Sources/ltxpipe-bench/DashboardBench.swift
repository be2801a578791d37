import Foundation
import GRDB
import LTXAPI
import LTXDashboard
import LTXPipeline

/// `dashboard JOBS`: one dashboard read of a ledger of JOBS jobs (most archived, some failed, held or under way; rows
/// as a run writes them, with inputs, prompt, request ids and a status body, without preflight and verification
/// reports, which make real rows heavier still), the whole-ledger read it replaced against the light reads, median
/// of 5. `before`: every row decoded and summed in Swift (one snapshot served the page's four requests). `after`: the
/// page's four requests within one interval (summary, jobs under way and held, the latest 24 archived, the latest
/// 200); apart from them the summary alone and `/api/jobs` without a limit (its summary read included). `identical`:
/// the summary and every listing equal those of the whole-ledger snapshot.
func benchDashboard(jobs count: Int) async {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-bench-dashboard-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/ledger.sqlite"
    let now = Date()
    do {
        let ledger = try Ledger(path: path)
        let body = "{\"id\":\"gen\",\"status\":\"completed\",\"video\":{\"url\":\"https://cdn.example.com/v.mp4\"},\"usage\":{\"cost\":0.24}}"
            + String(repeating: " ", count: 1_100)
        // JobInput has no public initializer: the two inputs of a drop (prompt and image), as a ledger stores them.
        let sha = String(repeating: "ab", count: 32)
        let inputs = try JSONDecoder().decode([JobInput].self, from: Data("""
            [{"name": "clip.txt", "role": "prompt", "size": 300, "sha256": "\(sha)"},
             {"name": "clip.png", "role": "image", "size": 2000000, "sha256": "\(sha)"}]
            """.utf8))
        let fill = try DatabaseQueue(path: path)
        try await fill.write { db in
            for i in 0..<count {
                let created = now.addingTimeInterval(-Double(count - i) * 30)
                var job = JobRecord(id: String(format: "20261120-%06d-clip%05d-%04x", i % 240_000, i, i & 0xffff), pipeline: "bench",
                                    name: "clip\(i)", inputs: inputs, now: created)
                job.mode = "image-to-video"
                job.parameters = GenerationParameters(mode: .imageToVideo, prompt: String(repeating: "a slow pan over a harbour at dawn, ", count: 9),
                                                      model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25)
                job.fingerprint = String(repeating: "c", count: 64)
                job.requestIDs = (0..<4).map { "req-\(i)-\($0)" }
                job.estimatedCost = 0.24
                switch i % 100 {
                case 0..<5: job.state = .failed; job.reason = .verificationFailed; job.failedStage = .verify; job.detail = "frame count 150 is not 8n+1"
                    job.failedFolder = "/srv/failed/clip\(i)"; job.cost = 0.24
                case 5..<7: job.state = .held; job.reason = .budget; job.resumeState = .preflighted
                case 7 where i > count - 200: job.state = .submitted; job.submitStartedAt = created
                default: job.state = .archived; job.cost = 0.24; job.bag = "/srv/archive/2026-11-20/\(job.id)"
                }
                if job.cost != nil {
                    job.submitStartedAt = created; job.generationID = "gen-\(i)"; job.response = body
                    job.videoURL = "https://cdn.example.com/\(i).mp4"; job.videoSHA256 = String(repeating: "d", count: 64)
                }
                job.updatedAt = created.addingTimeInterval(20)
                try job.insert(db)
                for stage in [JobStage.detect, .submit, .archive] {
                    try JobEvent(jobID: job.id, at: created, stage: stage, outcome: "ok").insert(db)
                }
            }
        }
        try fill.close()

        func median(_ runs: Int = 5, _ work: () async throws -> Void) async rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<runs {
                let start = ContinuousClock.now
                try await work()
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            return times.sorted()[times.count / 2]
        }
        let page = [DashboardJobQuery(states: [.detected, .claimed, .preflighted, .submitted, .generated, .downloaded, .verified, .held]),
                    DashboardJobQuery(states: [.archived], limit: 24), DashboardJobQuery(limit: 200)]
        var whole: DashboardSnapshot?
        let before = try await median {
            let rows = try await ledger.jobs()
            let events = try await ledger.eventCounts()
            whole = DashboardSnapshot(pipeline: "bench", reportsCost: true, jobs: rows, events: events, runStartedAt: now, now: now)
        }
        let source = DashboardSource(pipeline: "bench", ledger: ledger, reportsCost: true, runStartedAt: now, minimumInterval: .zero, now: { now })
        var light: [DashboardSnapshot] = []
        let after = try await median {
            // One refresh of the page: its four requests within one interval share one summary read.
            let refresh = DashboardSource(pipeline: "bench", ledger: ledger, reportsCost: true, runStartedAt: now, now: { now })
            light = [try await refresh.snapshot()]
            for query in page { light.append(try await refresh.snapshot(listing: query)) }
        }
        let summaryOnly = try await median { _ = try await source.snapshot() }

        var everything: DashboardSnapshot?
        let unlimited = try await median { everything = try await source.snapshot(listing: DashboardJobQuery()) }
        var identical = whole?.summary == light.first?.summary && whole?.jobs == everything?.jobs
        for (query, listed) in zip(page, light.dropFirst()) {
            identical = identical && whole?.jobsDocument(states: query.states, limit: query.limit).jobs == listed.jobs
        }
        printJSON([
            "jobs": count, "before_snapshot_s": before, "after_page_requests_s": after, "after_summary_s": summaryOnly,
            "after_all_jobs_listing_s": unlimited,
            "listed_under_way_and_held": light.count > 1 ? light[1].jobs.count : 0, "speedup_page": before / max(after, 1e-9), "identical": identical,
            "peak_rss_mb": peakRSSMegabytes(),
        ])
    } catch {
        print("dashboard: \(error)")
        exit(1)
    }
}
