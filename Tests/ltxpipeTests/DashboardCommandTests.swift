import Foundation
import LTXAPI
import LTXSimulator
import Testing

/// `run --http`: the dashboard read through the binary while a pipeline works against the simulator, checked
/// against the ledger as `jobs --json` shows it.
@Suite("run --http: dashboard, JSON and metrics through the binary", .serialized)
struct DashboardCommandTests {
    typealias E2E = GenerateCommandTests
    typealias Child = LivingCommandTests.Child

    /// `GET` (or `method`) of `path` on the dashboard at `origin` (`http://127.0.0.1:PORT`).
    static func request(_ origin: String, _ path: String, method: String = "GET") async throws -> HTTPResponse {
        let url = try #require(URL(string: origin + path))
        let body: HTTPRequest.Body = method == "GET" ? .none : .data(Data("{}".utf8), contentType: "application/json")
        return try await HTTPClient().send(HTTPRequest(method: method, url: url, body: body))
    }

    static func object(_ origin: String, _ path: String) async throws -> [String: Any] {
        let response = try await request(origin, path)
        try #require(response.status == 200, "\(path): \(response.status)")
        return try #require(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    /// The samples of a Prometheus text, by `name{labels}`.
    static func samples(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            result[String(line[..<space])] = value
        }
        return result
    }

    /// The dashboard's origin as the run printed it at start.
    static func origin(of run: Child) async throws -> String {
        var found: String?
        _ = try await LivingCommandTests.eventually {
            let log = (try? String(contentsOfFile: run.stderr, encoding: .utf8)) ?? ""
            guard let start = log.range(of: "dashboard: http://127.0.0.1:") else { return false }
            let port = log[start.upperBound...].prefix { $0.isNumber }
            found = "http://127.0.0.1:" + port
            return !port.isEmpty
        }
        return try #require(found, "the run never printed the dashboard's address: \((try? String(contentsOfFile: run.stderr, encoding: .utf8)) ?? "")")
    }

    @Test func aRunServesItsJobsSummaryAndMetricsWhileItWorksAndAfterItsJobsArchive() async throws {
        // Generations take about 1.5 s (real), so the jobs are seen under way.
        try await E2E.withSimulator({ $0.timeScale = 0.3 }) { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", extra: "verify: { mode: quick }\n", in: directory)
            try LivingCommandTests.drop("boat.txt", "a rowing boat", in: directory)
            try LivingCommandTests.drop("kite.txt", "a red kite", in: directory)
            let day = { String(ISO8601DateFormatter().string(from: Date()).prefix(10)) }
            let firstDay = day()
            let run = try Child.start(["run", "e2e.yml", "--http", "127.0.0.1:0", "--time-scale", "0.3"], in: directory)
            let origin = try await Self.origin(of: run)

            // During the run: both jobs listed, at least one under way, the same counts in the metrics.
            var during: [String: Any] = [:]
            let underWay = try await LivingCommandTests.eventually {
                during = try await Self.object(origin, "/api/jobs")
                let states = (during["jobs"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
                return states.count == 2 && states.contains { $0 == "submitted" || $0 == "generated" }
            }
            #expect(underWay, "no job was seen under way: \(during)")
            #expect(during["pipeline"] as? String == "e2e")
            let live = try await Self.object(origin, "/api/summary")
            #expect(live["jobs"] as? Int == 2 && (live["under_way"] as? Int ?? 0) >= 1, "\(live)")
            let liveMetrics = Self.samples(String(decoding: try await Self.request(origin, "/metrics").body, as: UTF8.self))
            #expect(liveMetrics.filter { $0.key.hasPrefix("ltxpipe_jobs{") }.values.reduce(0, +) == 2, "\(liveMetrics)")
            let posted = try await Self.request(origin, "/api/jobs", method: "POST")
            #expect(posted.status == 405 && posted.headers["allow"] == "GET", "read-only: \(posted.status)")
            #expect(try await Self.request(origin, "/", method: "DELETE").status == 405)
            let page = try await Self.request(origin, "/")
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("/dashboard.js"))

            // After both archive: states, counts and money as the ledger has them, posters from the bags.
            var summary: [String: Any] = [:]
            let archived = try await LivingCommandTests.eventually {
                summary = try await Self.object(origin, "/api/summary")
                return (summary["by_state"] as? [String: Int])?["archived"] == 2
            }
            #expect(archived, "the jobs never archived: \(summary)")
            let list = try await Self.object(origin, "/api/jobs?state=archived")
            let served = try #require(list["jobs"] as? [[String: Any]])
            #expect(served.count == 2)
            let metrics = Self.samples(String(decoding: try await Self.request(origin, "/metrics").body, as: UTF8.self))
            for job in served {
                let bag = try #require(job["bag"] as? String)
                let poster = try await Self.request(origin, try #require(job["poster"] as? String))
                #expect(poster.status == 200 && poster.headers["content-type"] == "image/jpeg")
                #expect(poster.body == (try Data(contentsOf: URL(fileURLWithPath: bag + "/data/poster.jpg"))), "the bag's poster, byte for byte")
            }

            kill(run.process.processIdentifier, SIGTERM)
            let stopped = try await run.finish()
            #expect(stopped.status == 0, "\(stopped)")
            #expect(stopped.stdout.contains("e2e: stopped; 0 jobs will resume on the next run"), "\(stopped)")
            await #expect(throws: HTTPError.self, "the dashboard stops with the run") { try await Self.request(origin, "/api/summary") }
            #expect(!stopped.stderr.contains(E2E.key) && !String(describing: served).contains(E2E.key))

            let ledger = try await E2E.run(["jobs", "e2e.yml", "--json"], in: directory).jsonArray()
            #expect(ledger.count == 2)
            for row in ledger {
                let id = try #require(row["id"] as? String)
                let shown = try #require(served.first { $0["id"] as? String == id }, "\(id) missing from /api/jobs")
                for key in ["name", "state", "reason", "cost", "cost_basis", "estimated_cost", "bag", "generation_id", "updated_at"] {
                    #expect(String(describing: shown[key] ?? NSNull()) == String(describing: row[key] ?? NSNull()), "\(key) of \(id): \(shown[key] ?? "-") vs \(row[key] ?? "-")")
                }
            }
            let spent = ledger.reduce(0.0) { $0 + ($1["cost"] as? Double ?? 0) + ($1["prior_cost"] as? Double ?? 0) }
            #expect(spent > 0)
            #expect(abs((summary["spent"] as? Double ?? -1) - spent) < 1e-9, "\(summary)")
            if day() == firstDay { #expect(abs((summary["spent_today"] as? Double ?? -1) - spent) < 1e-9, "both submitted today (UTC): \(summary)") }
            let accepted = await server.stats().submitsAccepted
            #expect(summary["submits"] as? Int == accepted && accepted == 2, "\(summary)")
            #expect(summary["verification_failures"] as? Int == 0 && (summary["failures"] as? [Any])?.isEmpty == true)
            #expect(metrics["ltxpipe_archived_total{pipeline=\"e2e\"}"] == 2 && metrics["ltxpipe_submits_total{pipeline=\"e2e\"}"] == 2, "\(metrics)")
            #expect(metrics["ltxpipe_jobs{pipeline=\"e2e\",state=\"archived\"}"] == 2 && metrics["ltxpipe_verification_failures_total{pipeline=\"e2e\"}"] == 0)
            #expect(abs((metrics["ltxpipe_spent_usd_total{pipeline=\"e2e\",basis=\"reported\"}"] ?? -1) - spent) < 1e-9, "\(metrics)")
        }
    }

    @Test func aNonLoopbackAddressNeedsTheFlagAndABadOrTakenOneIsRefused() async throws {
        try await E2E.withSimulator { base, _, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
            let remote = try await E2E.run(["run", "e2e.yml", "--once", "--http", "0.0.0.0:0"], in: directory)
            #expect(remote.status == 2 && remote.stderr.contains("--http 0.0.0.0:0: not a loopback address") && remote.stderr.contains("--http-allow-remote"), "\(remote)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/state"), "refused before anything starts")
            let named = try await E2E.run(["run", "e2e.yml", "--once", "--http", "example.com:80"], in: directory)
            #expect(named.status == 2 && named.stderr.contains("--http \"example.com:80\": \"example.com\" is not an IP address"), "\(named)")
            let lonely = try await E2E.run(["run", "e2e.yml", "--once", "--http-allow-remote"], in: directory)
            #expect(lonely.status == 2 && lonely.stderr.contains("--http-allow-remote needs --http"), "\(lonely)")

            let receiver = try WebhookReceiver()  // a port another program listens on
            defer { receiver.stop() }
            let taken = try await E2E.run(["run", "e2e.yml", "--once", "--http", "127.0.0.1:\(receiver.port)"], in: directory)
            #expect(taken.status == 5 && taken.stderr.contains("--http 127.0.0.1:\(receiver.port): cannot listen"), "\(taken)")

            let allowed = try await E2E.run(["run", "e2e.yml", "--once", "--http", "0.0.0.0:0", "--http-allow-remote"], in: directory)
            #expect(allowed.status == 0, "\(allowed)")
            #expect(allowed.stderr.contains("warning: the dashboard listens on 0.0.0.0:") && allowed.stderr.contains("which other machines can reach"), "\(allowed)")
            #expect(allowed.stderr.contains("dashboard: http://0.0.0.0:"), "\(allowed)")
        }
    }

    /// Headless Chromium, where it is installed.
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: chromium != nil, "headless Chromium is not installed: the rendered page is checked where it is"))
    func thePageRenderedByChromiumShowsTheJobsFailuresAndPosters() async throws {
        try await E2E.withSimulator { base, _, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", extra: "verify: { mode: quick }\nbudget: { per_job: 0.20 }\n", in: directory)
            try LivingCommandTests.drop("kite.txt", "a red kite", in: directory)
            try LivingCommandTests.drop("swan.txt", "a swan", in: directory)
            try LivingCommandTests.drop("swan.json", #"{"model": "ltx-2-pro"}"#, in: directory)  // over the budget: held
            try LivingCommandTests.drop("<em>mole.json", #"{"model": "ltx-2-fast"}"#, in: directory)  // no prompt: failed
            let run = try Child.start(["run", "e2e.yml", "--http", "127.0.0.1:0", "--time-scale", "0.001"], in: directory)
            let origin = try await Self.origin(of: run)
            let settled = try await LivingCommandTests.eventually {
                let states = (try await Self.object(origin, "/api/summary"))["by_state"] as? [String: Int] ?? [:]
                return states["archived"] == 1 && states["held"] == 1 && states["failed"] == 1
            }
            #expect(settled, "the three jobs never settled")
            let profile = directory + "/.chromium"
            let dom = directory + "/.dom.html"
            _ = FileManager.default.createFile(atPath: dom, contents: nil)
            let browser = Process()
            browser.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
            browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, "--virtual-time-budget=5000",
                                 "--dump-dom", origin + "/"]
            browser.standardOutput = FileHandle(forWritingAtPath: dom)
            browser.standardError = FileHandle.nullDevice
            try browser.run()
            await ProcessWaiting.exit(of: browser)
            kill(run.process.processIdentifier, SIGTERM)
            let stopped = try await run.finish()
            #expect(stopped.status == 0, "\(stopped)")

            let page = try String(contentsOfFile: dom, encoding: .utf8)
            #expect(page.contains("<h1 id=\"pipeline\">ltxpipe · e2e</h1>"), "the script ran: \(page.prefix(400))")
            #expect(page.contains("<td>swan</td><td class=\"state-held\">held</td><td><progress max=\"8\" value=\"3\""), "the held job, under way and held")
            #expect(page.contains("budget: estimated $"), "with its reason")
            #expect(page.contains("&lt;em&gt;mole") && !page.contains("<em>mole"), "a dropped name is text, never markup")
            #expect(page.contains("<td class=\"state-failed\">no-prompt</td>"), "the failure with its reason")
            #expect(page.range(of: #"<img src="/posters/[0-9]{8}-[0-9]{6}-kite-[0-9a-f]{4}\.jpg" alt="poster of kite""#, options: .regularExpression) != nil, "the archived job's poster")
            #expect(page.contains("<b>$0.12</b><span>spent in total</span>") && page.contains("<b>1</b><span>submits accepted</span>"), "\(page)")
        }
    }
}
