import Foundation
import Hummingbird
import LTXCore
import LTXPipeline

/// Answers the dashboard's requests: the page, `/api/summary`, `/api/jobs`, `/metrics` and archived jobs' posters.
/// GET only (anything else is 405); on a loopback address, requests naming another host (a web page that rebinds
/// its DNS name to 127.0.0.1) are refused with 421.
struct DashboardResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let source: DashboardSource
    /// The pipeline's archive folder: posters are served from bags inside it only.
    let archive: String
    /// When set, the Host header must name loopback (`127.0.0.1`, `localhost`, `[::1]`, any port).
    let loopbackOnly: Bool
    /// Where a ledger that cannot be read is reported (the answer itself says only that).
    let log: @Sendable (String) -> Void

    /// Largest poster served; a bag's poster is a JPEG of one frame, far smaller.
    static let posterLimit = 16 << 20
    /// Poster files are read on a lane of their own, never on the pipeline's media lanes.
    static let files = BlockingExecutor(name: "ltxpipe.dashboard", width: 1)

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get else {
            var response = Self.text(.methodNotAllowed, "read-only: only GET is answered\n")
            response.headers[.allow] = "GET"
            return response
        }
        if loopbackOnly, !Self.namesLoopback(request.head.authority) {
            return Self.text(.misdirectedRequest, "this dashboard answers requests for 127.0.0.1, localhost or [::1] only\n")
        }
        let path = request.uri.path
        switch path {
        case "/", "/index.html": return Self.body(.ok, "text/html; charset=utf-8", Data(DashboardPage.html.utf8))
        case "/dashboard.js": return Self.body(.ok, "text/javascript; charset=utf-8", Data(DashboardPage.script.utf8))
        case "/dashboard.css": return Self.body(.ok, "text/css; charset=utf-8", Data(DashboardPage.css.utf8))
        case "/api/summary":
            return try await withSnapshot(json: true) { try Self.json(.ok, $0.summary) }
        case "/api/jobs":
            let query = request.uri.queryParameters
            var states: Set<JobState>?
            if let text = query["state"] {
                var chosen: Set<JobState> = []
                for word in text.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let state = JobState(rawValue: String(word)) else {
                        return try Self.json(.badRequest, ["error": "state \"\(DisplayText.escaped(String(word), limit: 40))\" is not one of "
                                                           + JobState.allCases.map(\.rawValue).joined(separator: ", ")])
                    }
                    chosen.insert(state)
                }
                states = chosen
            }
            var limit: Int?
            if let text = query["limit"] {
                guard let number = Int(String(text)), number >= 0 else {
                    return try Self.json(.badRequest, ["error": "limit must be a whole number of jobs, 0 or more"])
                }
                limit = number
            }
            return try await withSnapshot(json: true, listing: DashboardJobQuery(states: states, limit: limit)) {
                try Self.json(.ok, $0.jobsDocument(states: states, limit: limit))
            }
        case "/metrics":
            return try await withSnapshot(json: false) { Self.body(.ok, PrometheusText.contentType, Data(PrometheusText.render($0).utf8)) }
        default:
            if path.hasPrefix("/posters/"), path.hasSuffix(".jpg") {
                return try await poster(String(path.dropFirst("/posters/".count).dropLast(".jpg".count)))
            }
            return path.hasPrefix("/api/") ? try Self.json(.notFound, ["error": "no such endpoint; see /api/summary and /api/jobs"])
                                           : Self.text(.notFound, "not found\n")
        }
    }

    /// `answer` of the current snapshot listing `query`; 503 when the ledger cannot be read (the detail goes to the log).
    private func withSnapshot(json: Bool, listing query: DashboardJobQuery = .none, _ answer: (DashboardSnapshot) throws -> Response)
        async throws -> Response {
        let snapshot: DashboardSnapshot
        do { snapshot = try await source.snapshot(listing: query) } catch {
            log("dashboard: \(DisplayText.escaped("\(error)"))")
            let message = "cannot read the ledger just now; the run's log says why"
            return json ? try Self.json(.serviceUnavailable, ["error": message]) : Self.text(.serviceUnavailable, message + "\n")
        }
        return try answer(snapshot)
    }

    /// The poster of archived job `id`, read from its bag (which must lie in the archive folder).
    private func poster(_ id: String) async throws -> Response {
        let job: DashboardJob?
        do { job = try await source.job(id) } catch { return Self.text(.serviceUnavailable, "cannot read the ledger just now\n") }
        guard let job, job.poster != nil, let bag = job.bag else {
            return Self.text(.notFound, "no archived job with that id\n")
        }
        let root = URL(fileURLWithPath: archive).standardizedFileURL.path
        let file = URL(fileURLWithPath: bag).standardizedFileURL.appendingPathComponent("data/poster.jpg").path
        guard file.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return Self.text(.notFound, "no poster for that job\n") }
        let limit = Self.posterLimit
        let bytes: Data? = await Self.files.run {
            guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
            defer { try? handle.close() }
            guard let data = try? handle.read(upToCount: limit + 1), data.count <= limit else { return nil }
            return data
        }
        guard let bytes else { return Self.text(.notFound, "no poster for that job\n") }
        return Self.body(.ok, "image/jpeg", bytes)
    }

    /// True when `authority` (`host[:port]`) names this machine's loopback.
    static func namesLoopback(_ authority: String?) -> Bool {
        guard let authority else { return false }
        var host = Substring(authority.lowercased())
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            host = host[..<colon]
        }
        if host == "localhost" { return true }
        return DashboardAddress.family(of: String(host)) != nil && DashboardAddress(host: String(host), port: 0).isLoopback
    }

    static func json<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        body(status, "application/json", try DashboardJSON.data(value))
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        body(status, "text/plain; charset=utf-8", Data(message.utf8))
    }

    /// An answer no cache keeps, with the page's security policy.
    static func body(_ status: HTTPResponse.Status, _ contentType: String, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = DashboardPage.contentSecurityPolicy
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
