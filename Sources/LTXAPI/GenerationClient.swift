import LTXCore
import Foundation
import Synchronization

/// One API exchange, as logs and the ledger record it (never with the key).
public struct APICallRecord: Sendable, Codable, Equatable {
    /// `submit` or `poll`.
    public var endpoint: String
    /// HTTP method.
    public var method: String
    /// URL without query string.
    public var url: String
    /// HTTP status, when a response came back.
    public var status: Int?
    /// The server's `x-request-id`, when given.
    public var requestID: String?
    /// Seconds the exchange took.
    public var seconds: Double
    /// 0 for the first try, then 1, 2, ... for retries.
    public var attempt: Int
    /// The transport error, when no response came back.
    public var error: String?
}

/// Something the client did that a user may want to see.
public enum ClientEvent: Sendable {
    /// An API call finished (or broke).
    case call(APICallRecord)
    /// The client is waiting before retrying or polling, and why.
    case waiting(seconds: Double, reason: String)
    /// A generation's status changed.
    case status(GenerationStatus)
    /// Download progress: bytes on disk and expected total.
    case downloading(bytes: Int64, total: Int64?)
    /// Something the server said that was not believed, and what was done instead.
    case warning(String)
}

/// Submits, polls and downloads generations: validation first, one rate governor, the dialect's error table.
public final class GenerationClient: Sendable, InputUploading {
    /// The API's base URL (the only origin that ever receives the key).
    public let base: URL
    /// The wire protocol.
    public let dialect: any Dialect
    /// The process-wide governor of request rates.
    public let governor: RateGovernor
    /// Nominal time (scaled in tests).
    public let clock: PipelineClock
    /// The longest a generation is waited for, in nominal seconds.
    public let maxWait: Double
    private let apiKey: String?
    private let http: HTTPClient
    private let downloader: Downloader
    private let observer: (@Sendable (ClientEvent) -> Void)?
    /// Generations being waited for now (they share the account's request rate).
    private let polling = Mutex(0)
    /// Answers to the dialect's schema requests, by URL: read once per client.
    private let schemas = Mutex<[String: HTTPResponse]>([:])

    /// A client for `base` speaking `dialect`; `apiKey` is sent in the dialect's `Authorization` form to `base`'s origin only.
    public init(
        base: URL, apiKey: String?, dialect: any Dialect = GenerationsDialect(), governor: RateGovernor? = nil,
        clock: PipelineClock = PipelineClock(), http: HTTPClient = HTTPClient(), downloader: Downloader = Downloader(),
        maxWait: Double = 3600, observer: (@Sendable (ClientEvent) -> Void)? = nil
    ) {
        self.base = base
        self.apiKey = apiKey
        self.dialect = dialect
        self.clock = clock
        self.governor = governor ?? RateGovernor(clock: clock)
        self.http = http
        self.downloader = downloader
        self.maxWait = maxWait
        self.observer = observer
    }

    /// Every catalog rule `parameters` (and `inputs`) break (no network).
    public func violations(_ parameters: GenerationParameters, inputs: GenerationInputs = GenerationInputs()) -> [RequestViolation] {
        RequestValidator(catalog: dialect.catalog).violations(parameters, hasLastFrame: inputs.lastFrame != nil)
    }

    /// Uploads a file through the protocol's upload endpoint: `POST {base}/v1/upload` with no body (allowed 60 s:
    /// the endpoint is slow under load), then a PUT of the bytes with exactly the headers the API asked for plus the
    /// file's `Content-Type`, and no credentials (the upload URL is another origin). 200 and 201 both mean stored.
    public func upload(path: String, contentType: String) async throws(APIError) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let slot = try await call(
            HTTPRequest(method: "POST", url: base.appendingPathComponent("v1").appendingPathComponent("upload"),
                        headers: [("Accept", "application/json")], body: .none, timeout: 60),
            endpoint: "upload", idempotent: true
        )
        guard let object = (try? JSONSerialization.jsonObject(with: slot.body)) as? [String: Any],
              let link = object["upload_url"] as? String, let target = URL(string: link),
              let storage = object["storage_uri"] as? String else {
            throw .malformedResponse("the upload answer lacks upload_url or storage_uri")
        }
        let required = (object["required_headers"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        var headers = required.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        headers.append(("Accept", ""))
        let namesContentType = required.keys.contains { $0.lowercased() == "content-type" }
        let put = HTTPRequest(method: "PUT", url: target, headers: headers, body: .file(path: path, contentType: namesContentType ? nil : contentType))
        let started = clock.now()
        let response: HTTPResponse
        do { response = try await http.send(put) } catch {
            observer?(.call(APICallRecord(endpoint: "upload-put", method: "PUT", url: target.redacted, status: nil, requestID: nil,
                                          seconds: (clock.now() - started) * clock.scale, attempt: 0, error: error.description)))
            throw .unavailable("upload of \(name) broke: \(error.description)")
        }
        observer?(.call(APICallRecord(endpoint: "upload-put", method: "PUT", url: target.redacted, status: response.status,
                                      requestID: response.requestID, seconds: (clock.now() - started) * clock.scale, attempt: 0, error: nil)))
        guard (200..<300).contains(response.status) else {
            throw .invalidRequest("upload of \(name) refused: HTTP \(response.status) \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
        return storage
    }

    public func send(_ request: HTTPRequest, endpoint: String) async throws(APIError) -> HTTPResponse {
        try await call(request, endpoint: endpoint, idempotent: true)
    }

    /// The sync form, when the protocol has one: one request whose 200 body is the video, streamed to `path`
    /// (SHA-256 on the way, temporary file renamed when complete). A connection broken after sending is an
    /// `uncertainSubmit`: the video may have been paid for and lost, which is why async is the default.
    public func generateSync(_ parameters: GenerationParameters, inputs: GenerationInputs = GenerationInputs(), to path: String,
                             preferUpload: Bool = false, beforeSend: (@Sendable () async throws -> Void)? = nil) async throws(APIError) -> (file: DownloadedFile, requestID: String?) {
        if let violation = violations(parameters, inputs: inputs).first { throw .rejectedLocally(violation.message) }
        let resolved = try await dialect.resolveInputs(inputs, uploader: self, preferUpload: preferUpload)
        guard var request = try dialect.syncRequest(parameters, inputs: resolved, base: base) else {
            throw .rejectedLocally("the \(dialect.name) protocol has no sync endpoint")
        }
        if let credentials = authorization(for: request.url) { request.headers.append(credentials) }
        do { try await governor.acquire() } catch { throw .cancelled }
        if let beforeSend {
            do { try await beforeSend() } catch {
                await governor.release()
                throw .rejectedLocally("could not record the submit before sending it: \(error)")
            }
        }
        let outcome: Result<SyncResult, HTTPError>
        do { outcome = .success(try await SyncTransfer.run(request, to: path, configuration: http.configuration)) } catch { outcome = .failure(error) }
        await governor.release()
        switch outcome {
        case .failure(let error):
            if error.kind == .cancelled { throw .cancelled }
            if error.requestMayHaveBeenSent { throw .uncertainSubmit(error.description) }
            throw .unavailable(error.description)
        case .success(let result):
            observer?(.call(APICallRecord(endpoint: "sync", method: "POST", url: request.url.redacted, status: result.response.status,
                                          requestID: result.response.requestID, seconds: result.response.timings.total, attempt: 0, error: nil)))
            guard let file = result.file else { throw dialect.error(for: result.response) }
            return (file, result.response.requestID)
        }
    }

    /// The price-table estimate in USD.
    /// The price-table estimate in USD; nil when a needed price (or, for audio-to-video priced per second of input
    /// audio, the audio's length) is not known. Never 0 for "unknown".
    public func estimatedCost(_ parameters: GenerationParameters, audioSeconds: Double? = nil) -> Double? {
        RequestValidator(catalog: dialect.catalog).estimatedCost(parameters, audioSeconds: audioSeconds)
    }

    /// Validates, then submits once. A broken connection after the request was sent is `uncertainSubmit`, never retried.
    /// `beforeSend` runs after the rate governor grants the request its slot and just before its bytes go out
    /// (again before each retry): the place to write down, durably, that a submit is about to be sent.
    public func submit(
        _ parameters: GenerationParameters, inputs: GenerationInputs = GenerationInputs(), preferUpload: Bool = false,
        beforeSend: (@Sendable () async throws -> Void)? = nil
    ) async throws(APIError) -> GenerationStatus {
        if let violation = violations(parameters, inputs: inputs).first { throw .rejectedLocally(violation.message) }
        let target = try await dialect.chooseBase(for: parameters, inputs: inputs) ?? base
        let uploader: any InputUploading = target == base ? self : RebasedUploader(client: self, base: target)
        let resolved = try await dialect.resolveInputs(inputs, uploader: uploader, preferUpload: preferUpload)
        let request = try dialect.submitRequest(parameters, inputs: resolved, base: target)
        if let schemaRequest = try dialect.schemaRequest(parameters, base: base) {
            let key = schemaRequest.url.absoluteString
            let known = schemas.withLock { $0[key] }
            let answer: HTTPResponse
            if let known { answer = known } else {
                answer = try await call(schemaRequest, endpoint: "schema", idempotent: true)
                schemas.withLock { $0[key] = answer }
            }
            try dialect.checkSchema(answer, submit: request)
        }
        if let chosen = dialect.chosenID(in: request), let known = try await knownGeneration(chosen, mode: parameters.mode) {
            observer?(.warning("generation \(chosen) was already sent (before a crash or a stop); following it instead of sending it again"))
            observer?(.status(known))
            return known
        }
        let response = try await call(request, endpoint: "submit", idempotent: false, beforeSend: beforeSend)
        var decoded = try dialect.decodeSubmit(response)
        if let chosen = dialect.chosenID(in: request) { decoded.id = chosen }
        let status = try checked(decoded, expecting: nil)
        observer?(.status(status))
        return status
    }

    /// The generation `id` as the service knows it, nil when it knows no such id (a client-chosen id not yet sent, or
    /// forgotten by a restart).
    private func knownGeneration(_ id: String, mode: GenerationMode) async throws(APIError) -> GenerationStatus? {
        do { return try await poll(id: id, mode: mode) } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }

    /// One poll of a generation.
    public func poll(id: String, mode: GenerationMode) async throws(APIError) -> GenerationStatus {
        guard GenerationClient.isSafeID(id) else { throw .rejectedLocally("\(DisplayText.escaped(id)) is not a generation id this client will put in a URL") }
        let response = try await call(dialect.pollRequest(id: id, mode: mode, base: base), endpoint: "poll", idempotent: true)
        let status = try checked(dialect.decodePoll(response, id: id), expecting: id)
        guard status.state == .completed, status.videoURL == nil, let request = try dialect.resultRequest(id: id, base: base) else { return status }
        let dialect = self.dialect
        let result = try await call(request, endpoint: "result", idempotent: true, answers: { dialect.isGenerationFailure($0) })
        return try checked(dialect.decodeResult(result, id: id), expecting: id)
    }

    /// The largest cost a single generation is believed to have; a server answering more (or a negative or
    /// non-numeric cost) is not believed, and the estimate stands in its place.
    public static let largestPlausibleCost: Double = 1_000

    /// True for ids made of letters, digits and `-_.:` (at most 128): such an id can go in a URL path as it is.
    public static func isSafeID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128, id != ".", id != ".." else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
    }

    /// A status from the server, checked: a safe id, the id asked about, a believable cost.
    private func checked(_ status: GenerationStatus, expecting id: String?) throws(APIError) -> GenerationStatus {
        guard GenerationClient.isSafeID(status.id) else {
            throw .malformedResponse("the server named the generation \(DisplayText.escaped(status.id, limit: 80)), which is not a usable id")
        }
        if let id, status.id != id {
            throw .malformedResponse("asked about generation \(id), the server answered about \(DisplayText.escaped(status.id, limit: 80))")
        }
        var result = status
        // A dialect names a file under the API (APIFree's content endpoint) by a path relative to the base.
        if let link = status.videoURL, let relative = URL(string: link), relative.scheme == nil {
            // A query (ComfyUI's `view?filename=...`) stays a query: only the path is appended.
            let parts = link.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            result.videoURL = base.appendingPathComponent(parts[0]).absoluteString + (parts.count == 2 ? "?" + parts[1] : "")
        }
        if let cost = status.cost, !(cost.isFinite && cost >= 0 && cost <= GenerationClient.largestPlausibleCost) {
            observer?(.warning("ignoring the implausible cost \(cost) the server reported for \(status.id); the estimate stands"))
            result.cost = nil
        }
        return result
    }

    /// Polls until `status` is terminal, spaced by `plan` (by default: the catalog's latency estimate for the
    /// model, else the documented 5 s).
    /// `estimatedLatency` receives, when the generation ends, the seconds from `submittedAt` to the middle of the
    /// last poll gap (between the last poll that found it running and the one that found it done): an unbiased
    /// estimate of its latency, which later poll plans learn from.
    public func waitForCompletion(_ status: GenerationStatus, parameters: GenerationParameters, submittedAt: Double? = nil,
                                  plan: PollPlan? = nil, estimatedLatency: (@Sendable (Double) -> Void)? = nil) async throws(APIError) -> GenerationStatus {
        var current = status
        let plan = plan ?? pollPlan(for: parameters, observed: [])
        let start = submittedAt ?? clock.now()
        var lastRunning = start
        var nextPoll = start + plan.first
        polling.withLock { $0 += 1 }
        defer { polling.withLock { $0 -= 1 } }
        while !current.state.isTerminal {
            let now = clock.now()
            if now - start > maxWait { throw .unavailable("generation \(current.id) did not finish within \(Int(maxWait)) s") }
            if nextPoll > now {
                observer?(.waiting(seconds: nextPoll - now, reason: "generation \(current.id) is \(current.state.rawValue); next poll"))
                do { try await clock.sleep(nextPoll - now) } catch { throw .cancelled }
            }
            let previous = current.state
            let asked = clock.now()
            current = try await poll(id: current.id, mode: parameters.mode)
            if current.state != previous { observer?(.status(current)) }
            if current.state.isTerminal {
                if submittedAt != nil { estimatedLatency?((lastRunning + asked) / 2 - start) }
            } else {
                lastRunning = asked
            }
            nextPoll = clock.now() + plan.interval
        }
        if current.state == .failed { throw .generationFailed(current.failure ?? "no reason given") }
        return current
    }

    /// The poll plan for a generation of `parameters`, given the latencies this endpoint has shown for it.
    public func pollPlan(for parameters: GenerationParameters, observed: [Double]) -> PollPlan {
        let latency = dialect.catalog.model(parameters.model)?.latencySeconds
        let estimate = latency.flatMap { values -> (low: Double, high: Double)? in
            guard let low = values.first, let high = values.last else { return nil }
            return (low, high)
        }
        let limits = governor.limits
        let rate = limits.windowSeconds > 0 ? Double(limits.requestsPerWindow) / limits.windowSeconds : 0
        return PollPlan.make(observed: observed, catalogLatency: estimate, polling: polling.withLock { $0 } + 1, requestsPerSecond: rate)
    }

    /// Streams the finished video to `path` (no credentials are sent to the video URL).
    public func download(_ status: GenerationStatus, to path: String, options: DownloadOptions = DownloadOptions()) async throws(APIError) -> DownloadedFile {
        guard let link = status.videoURL, let url = URL(string: link) else {
            throw .malformedResponse("generation \(status.id) has no usable video_url")
        }
        let observer = self.observer
        var options = options
        if dialect.downloadNeedsKey, let credentials = authorization(for: url) { options.headers.append(credentials) }
        do {
            return try await downloader.download(from: url, to: path, options: options) { bytes, total in
                observer?(.downloading(bytes: bytes, total: total))
            }
        } catch {
            if error.kind == .cancelled { throw .cancelled }
            if let lifetime = dialect.outputLifetime, case .status(let code) = error.kind, [403, 404, 410].contains(code) {
                throw .outputLost("generation \(status.id): the video answered HTTP \(code); \(dialect.name) deletes outputs \(Int(lifetime / 60)) minutes after a generation, so it was paid for and is gone (not retried)")
            }
            throw .downloadFailed(error.description)
        }
    }

    /// Sends `request` through the governor, applying the dialect's error table; a non-success answer for which
    /// `answers` is true is returned as it is (a failed generation's result).
    func call(
        _ original: HTTPRequest, endpoint: String, idempotent: Bool, beforeSend: (@Sendable () async throws -> Void)? = nil,
        answers: (@Sendable (HTTPResponse) -> Bool)? = nil
    ) async throws(APIError) -> HTTPResponse {
        var request = original
        if let credentials = authorization(for: request.url) { request.headers.append(credentials) }
        let policy = dialect.retryPolicy
        var attempt = 0
        var retriesUsed: [Int: Int] = [:]
        while true {
            do { try await governor.acquire() } catch { throw .cancelled }
            if let beforeSend {
                do { try await beforeSend() } catch {
                    await governor.release()
                    throw .rejectedLocally("could not record the submit before sending it: \(error)")
                }
            }
            let started = clock.now()
            let outcome: Result<HTTPResponse, HTTPError>
            do { outcome = .success(try await http.send(request)) } catch { outcome = .failure(error) }
            await governor.release()
            let seconds = (clock.now() - started) * clock.scale
            switch outcome {
            case .failure(let error):
                observer?(.call(APICallRecord(endpoint: endpoint, method: request.method, url: request.url.redacted, status: nil,
                                              requestID: nil, seconds: seconds, attempt: attempt, error: error.description)))
                if error.kind == .cancelled { throw .cancelled }
                if !idempotent && error.requestMayHaveBeenSent { throw .uncertainSubmit(error.description) }
                let rule = policy.transport
                let used = retriesUsed[0, default: 0]
                guard used < (rule.retries ?? 0) else { throw .unavailable(error.description) }
                retriesUsed[0] = used + 1
                try await wait(policy.delay(rule, attempt: used, retryAfter: nil), reason: "\(endpoint): \(error.description); retrying")
            case .success(var response):
                observer?(.call(APICallRecord(endpoint: endpoint, method: request.method, url: request.url.redacted, status: response.status,
                                              requestID: response.requestID, seconds: seconds, attempt: attempt, error: nil)))
                response.status = dialect.effectiveStatus(response)
                if (200..<300).contains(response.status) || answers?(response) == true { return response }
                let rule = policy.rule(for: response.status)
                guard rule.action == .wait || rule.action == .backoff else { throw dialect.error(for: response) }
                let used = retriesUsed[response.status, default: 0]
                guard used < (rule.retries ?? 0) else { throw dialect.error(for: response) }
                retriesUsed[response.status] = used + 1
                let delay = policy.delay(rule, attempt: used, retryAfter: response.retryAfter)
                if response.status == 429 { await governor.pause(for: delay) }
                try await wait(delay, reason: "\(endpoint): HTTP \(response.status); retrying")
            }
            attempt += 1
        }
    }

    /// The `Authorization` header for a request to `url`, when there is a key and `url` is on `base`'s origin (no
    /// other origin ever receives it). The only reader of the key: the functions that report events never touch it.
    private func authorization(for url: URL) -> (String, String)? {
        guard let apiKey, url.origin == base.origin else { return nil }
        return ("Authorization", dialect.authorization(key: apiKey))
    }

    private func wait(_ seconds: Double, reason: String) async throws(APIError) {
        observer?(.waiting(seconds: seconds, reason: reason))
        do { try await clock.sleep(seconds) } catch { throw .cancelled }
    }
}

/// A client's uploads sent to another base (a pool's chosen server): the same error table and governor.
struct RebasedUploader: InputUploading {
    let client: GenerationClient
    let base: URL

    func upload(path: String, contentType: String) async throws(APIError) -> String {
        try await client.upload(path: path, contentType: contentType)
    }

    func send(_ request: HTTPRequest, endpoint: String) async throws(APIError) -> HTTPResponse {
        try await client.send(request, endpoint: endpoint)
    }
}
