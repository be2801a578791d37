import Foundation
import LTXAPI
import Testing
@testable import LTXDashboard
import LTXPipeline

/// The dashboard served on loopback from a real ledger: what it answers, what it refuses, posters from the archive
/// only, and a stop that closes the port.
@Suite("dashboard server on loopback")
struct DashboardServerTests {
    /// A ledger in a fresh folder with an archive beside it, and a running dashboard reading it afresh on every request.
    struct Lab {
        let folder: String
        let ledger: Ledger
        let server: DashboardServer
        let client = HTTPClient()

        var archive: String { folder + "/archive" }

        @discardableResult
        static func with<T>(_ body: (Lab) async throws -> T) async throws -> T {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder + "/archive", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let ledger = try Ledger(path: folder + "/state/ledger.sqlite")
            let source = DashboardSource(pipeline: "stills", ledger: ledger, reportsCost: true, minimumInterval: .zero)
            let server = try await DashboardServer.start(source: source, archive: folder + "/archive",
                                                         at: DashboardAddress(host: "127.0.0.1", port: 0), log: { _ in })
            let lab = Lab(folder: folder, ledger: ledger, server: server)
            let result: T
            do { result = try await body(lab) } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            return result
        }

        func get(_ path: String, method: String = "GET", headers: [(String, String)] = []) async throws -> HTTPResponse {
            let url = try #require(URL(string: "http://127.0.0.1:\(server.port)" + path))
            return try await client.send(HTTPRequest(method: method, url: url, headers: headers, body: method == "POST" ? .data(Data("{}".utf8), contentType: "application/json") : .none))
        }

        /// Records an archived job whose bag lies in `bagRoot` (the archive unless told) with a poster of `poster` bytes.
        func archived(_ name: String, cost: Double, poster: Data, bagRoot: String? = nil) async throws -> String {
            let id = "20261126-120000-\(name)-0a0a"
            let bag = (bagRoot ?? archive + "/2026-11-26") + "/" + id
            try FileManager.default.createDirectory(atPath: bag + "/data", withIntermediateDirectories: true)
            try poster.write(to: URL(fileURLWithPath: bag + "/data/poster.jpg"))
            let job = JobRecord(id: id, pipeline: "stills", name: name, inputs: [], now: Date())
            try await ledger.insert(job, event: JobEvent(jobID: id, at: Date(), stage: .detect, outcome: "ok"))
            try await ledger.update(job, event: JobEvent(jobID: id, at: Date(), stage: .submit, outcome: "ok")) {
                $0.state = .submitted
                $0.submitStartedAt = Date()
            }
            try await ledger.update(id, event: JobEvent(jobID: id, at: Date(), stage: .archive, outcome: "ok")) {
                $0.state = .archived
                $0.cost = cost
                $0.bag = bag
            }
            return id
        }
    }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: response.body) as? [String: Any], "\(String(decoding: response.body, as: UTF8.self))")
    }

    @Test func itServesTheLedgerLiveAsJSONMetricsAndAPage() async throws {
        try await Lab.with { lab in
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 300) + [0xFF, 0xD9])
            let kite = try await lab.archived("kite", cost: 0.25, poster: jpeg)

            let summary = try await lab.get("/api/summary")
            #expect(summary.status == 200 && summary.headers["content-type"] == "application/json")
            #expect(summary.headers["cache-control"] == "no-store" && summary.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            let first = try Self.json(summary)
            #expect(first["jobs"] as? Int == 1 && first["spent"] as? Double == 0.25 && first["submits"] as? Int == 1, "\(first)")

            let poster = try await lab.get("/posters/\(kite).jpg")
            #expect(poster.status == 200 && poster.headers["content-type"] == "image/jpeg" && poster.body == jpeg)

            // A job recorded after the first answer shows in the next one.
            _ = try await lab.archived("boat", cost: 0.5, poster: jpeg)
            let second = try Self.json(try await lab.get("/api/summary"))
            #expect(second["jobs"] as? Int == 2 && second["spent"] as? Double == 0.75 && second["submits"] as? Int == 2, "\(second)")
            let archivedJobs = try Self.json(try await lab.get("/api/jobs?state=archived"))
            #expect((archivedJobs["jobs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["boat", "kite"], "newest first: \(archivedJobs)")
            let none = try Self.json(try await lab.get("/api/jobs?state=failed,held"))
            #expect((none["jobs"] as? [Any])?.isEmpty == true)
            let latest = try Self.json(try await lab.get("/api/jobs?state=archived,failed&limit=1"))
            #expect((latest["jobs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["boat"])

            let metrics = try await lab.get("/metrics")
            #expect(metrics.status == 200 && metrics.headers["content-type"] == PrometheusText.contentType)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("ltxpipe_archived_total{pipeline=\"stills\"} 2\n") && text.contains("ltxpipe_spent_usd_total{pipeline=\"stills\",basis=\"reported\"} 0.75\n"), "\(text)")

            let page = try await lab.get("/")
            #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("<script src=\"/dashboard.js\" defer></script>") && !html.contains("http://") && !html.contains("https://"), "no external assets")
            let script = try await lab.get("/dashboard.js")
            #expect(script.status == 200 && String(decoding: script.body, as: UTF8.self).contains("fetch(path"))
            #expect(!String(decoding: script.body, as: UTF8.self).contains("innerHTML"), "ledger text is never written as markup")
            #expect(try await lab.get("/dashboard.css").status == 200)
        }
    }

    @Test func itIsReadOnlyAndRefusesWhatItDoesNotServe() async throws {
        try await Lab.with { lab in
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xD9])
            let outside = try await lab.archived("moth", cost: 0.1, poster: jpeg, bagRoot: lab.folder + "/elsewhere")
            for (method, path) in [("POST", "/api/jobs"), ("PUT", "/"), ("DELETE", "/api/summary"), ("PATCH", "/metrics")] {
                let response = try await lab.get(path, method: method)
                #expect(response.status == 405 && response.headers["allow"] == "GET", "\(method) \(path): \(response.status)")
            }
            #expect(try await lab.get("/api/jobs", headers: [("Host", "evil.example:80")]).status == 421, "a rebound DNS name is refused")
            #expect(try await lab.get("/api/jobs", headers: [("Host", "localhost:\(lab.server.port)")]).status == 200)
            let badState = try await lab.get("/api/jobs?state=exploded")
            let badStateError = try Self.json(badState)["error"] as? String
            #expect(badState.status == 400 && badStateError?.contains("archived") == true, "\(badStateError ?? "")")
            #expect(try await lab.get("/api/jobs?limit=-3").status == 400)
            #expect(try await lab.get("/api/jobs?state=archived,").status == 400, "an empty state is not a state")
            #expect(try await lab.get("/api/nothing").status == 404)
            #expect(try await lab.get("/nothing").status == 404)
            #expect(try await lab.get("/posters/\(outside).jpg").status == 404, "a bag outside the archive folder is not served")
            #expect(try await lab.get("/posters/20261126-000000-none-0000.jpg").status == 404)
            let page = try await lab.get("/api/summary")
            #expect(!String(decoding: page.body, as: UTF8.self).contains(lab.folder + "/state"), "the ledger's path is not shown")
        }
    }

    @Test func aStoppedDashboardClosesItsPort() async throws {
        let port = try await Lab.with { lab in
            let answer = try await lab.get("/api/summary")
            #expect(answer.status == 200)
            return lab.server.port
        }
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/summary"))
        await #expect(throws: HTTPError.self) { try await HTTPClient().send(HTTPRequest(method: "GET", url: url)) }
    }

    @Test func theLedgerIsReadAtMostOncePerInterval() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ledger = try Ledger(path: folder + "/ledger.sqlite")
        let cached = DashboardSource(pipeline: "stills", ledger: ledger, reportsCost: true, minimumInterval: .seconds(3600))
        let fresh = DashboardSource(pipeline: "stills", ledger: ledger, reportsCost: true, minimumInterval: .zero)
        #expect(try await cached.snapshot().summary.jobs == 0)
        let job = JobRecord(id: "20261126-120000-kite-0b0b", pipeline: "stills", name: "kite", inputs: [], now: Date())
        try await ledger.insert(job, event: JobEvent(jobID: job.id, at: Date(), stage: .detect, outcome: "ok"))
        #expect(try await cached.snapshot().summary.jobs == 0, "within the interval the last snapshot is served")
        #expect(try await fresh.snapshot().summary.jobs == 1)
    }
}
