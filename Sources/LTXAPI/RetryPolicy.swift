import Foundation

/// The error table as data: what to do with each HTTP status (and with a broken connection).
public struct RetryPolicy: Sendable, Decodable {
    /// What a status means for the job.
    public enum Action: String, Sendable, Decodable {
        /// Fail the job with the API's message.
        case fail
        /// Hold the job (account problem).
        case hold
        /// Re-compress the input and retry once.
        case recompress
        /// Transcode the input and retry once.
        case transcode
        /// Send the inputs again through the upload endpoint instead of inline, once (a proxy's 413).
        case upload
        /// Wait (Retry-After, else `waitSeconds`) and retry.
        case wait
        /// Wait exponentially longer each time and retry.
        case backoff
    }

    /// One row of the table.
    public struct Rule: Sendable, Decodable {
        /// HTTP status the row applies to (0 for the transport row).
        public var status: Int
        /// What to do.
        public var action: Action
        /// Seconds to wait when the server gives no Retry-After (`wait`), or the first wait (`backoff`).
        public var waitSeconds: Double?
        /// Longest single wait for `backoff`.
        public var maxWaitSeconds: Double?
        /// Retries allowed after the first try.
        public var retries: Int?
        /// For `hold`: the account itself is refused, so no further job is submitted in this run (401, 402).
        public var stopSubmitting: Bool?
        /// Where the row comes from, when the service does not document the status (`not documented: …`).
        public var note: String?
    }

    /// Rows by status.
    public var rules: [Rule]
    /// Row for a broken connection (before the request was sent for submits; any time for polls).
    public var transport: Rule
    /// Row for any other 5xx.
    public var otherServerError: Rule

    /// The generations dialect's table (API reference, "Error Codes").
    public static let generations = builtIn(generationsRetryPolicyJSON)

    /// The ltx-v2 dialect's table: 422 is the safety filter (fail, never transcode-and-retry); 429 covers both
    /// rate and concurrency limits; 504 and 529 (overloaded) back off.
    public static let ltxV2 = builtIn(ltxV2RetryPolicyJSON)

    /// The fal dialect's table. providers.md documents only the result's failure (an error status with a `detail`
    /// body, read as the generation's failure, not through this table); every row here is HTTP's meaning of the
    /// status and says so in its `note`.
    public static let fal = builtIn(falRetryPolicyJSON)

    /// Replicate's table. providers.md documents only 429 with `Retry-After`; every other row is HTTP's meaning of
    /// the status and says so in its `note`.
    public static let replicate = builtIn(replicateRetryPolicyJSON)

    /// WaveSpeed's table, applied to the HTTP status or to the envelope's `code` in a 200. The official SDK's retries
    /// (429, 500, 502, 503, 504) are documented; the other rows are HTTP's meaning and say so.
    public static let wavespeed = builtIn(wavespeedRetryPolicyJSON)

    /// APIFree's table: APIFree documents no error status; every row is HTTP's meaning and says so.
    public static let apifree = builtIn(apifreeRetryPolicyJSON)

    /// ComfyUI's table: a 400 is a workflow the server cannot run (a missing node or model file, named in the
    /// message): every job would meet it, so jobs are held until the server is fixed; an unreachable server is waited for.
    public static let comfyui = builtIn(comfyuiRetryPolicyJSON)

    /// A table shipped with the program (checked by the tests, so never invalid at run time).
    private static func builtIn(_ json: String) -> RetryPolicy {
        do { return try load(Data(json.utf8)) } catch {
            preconditionFailure("built-in retry policy is invalid: \(error)")
        }
    }

    /// Decodes a policy.
    public static func load(_ data: Data) throws -> RetryPolicy {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RetryPolicy.self, from: data)
    }

    /// The row for `status`: its own, else the 5xx row for server errors, else `fail`.
    public func rule(for status: Int) -> Rule {
        if let rule = rules.first(where: { $0.status == status }) { return rule }
        if status >= 500 { return otherServerError }
        return Rule(status: status, action: .fail, waitSeconds: nil, maxWaitSeconds: nil, retries: 0, stopSubmitting: nil, note: nil)
    }

    /// The longest a server's `Retry-After` is honoured, in seconds; a longer (or absurd: `inf`, `1e300`) value is
    /// clamped to this, and the wait is reported like any other.
    public static let longestRetryAfter: Double = 3600

    /// Seconds to wait before retry number `attempt` (0-based) under `rule`, honouring a server's Retry-After
    /// within `longestRetryAfter`.
    public func delay(_ rule: Rule, attempt: Int, retryAfter: Double?) -> Double {
        let serverWait = retryAfter.map { $0.isFinite ? min(max($0, 0), RetryPolicy.longestRetryAfter) : RetryPolicy.longestRetryAfter }
        switch rule.action {
        case .wait:
            return serverWait ?? rule.waitSeconds ?? 60
        case .backoff:
            let base = rule.waitSeconds ?? 5
            let grown = base * pow(2, Double(min(attempt, 30)))
            return max(serverWait ?? 0, min(grown, rule.maxWaitSeconds ?? 300))
        default:
            return 0
        }
    }

    /// What the table says a job does once a call has failed for good (retries spent or not retried).
    public func disposition(for error: APIError, during call: CallKind) -> JobDisposition {
        if case .cancelled = error { return .stop }
        if let status = error.tableStatus {
            let rule = rule(for: status)
            switch rule.action {
            case .fail: return .fail(reason: error.reason, detail: error.description)
            case .hold: return .hold(reason: error.reason, detail: error.description, stopsSubmitting: rule.stopSubmitting ?? false)
            case .recompress, .transcode: return .reencodeInputs(reason: error.reason, detail: error.description)
            case .upload: return .resendThroughUpload(reason: error.reason, detail: error.description)
            case .wait, .backoff: return .hold(reason: "api-unavailable", detail: error.description, stopsSubmitting: false)
            }
        }
        switch error {
        case .uncertainSubmit, .malformedResponse:
            if call == .submit { return .hold(reason: "uncertain-submit", detail: error.description, stopsSubmitting: false) }
            return .hold(reason: error.reason, detail: error.description, stopsSubmitting: false)
        case .generationFailed, .rejectedLocally, .outputLost:
            return .fail(reason: error.reason, detail: error.description)
        default:
            return .hold(reason: error.reason, detail: error.description, stopsSubmitting: false)
        }
    }
}

/// The API reference's error table: 429 waits Retry-After (60 s default), 500 waits 5 min and retries once,
/// 503 backs off; 400/404 fail; 401/402 hold; 413/422 go back to preflight once.
let generationsRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail" },
    { "status": 401, "action": "hold", "stop_submitting": true },
    { "status": 402, "action": "hold", "stop_submitting": true },
    { "status": 404, "action": "fail" },
    { "status": 413, "action": "recompress" },
    { "status": 422, "action": "transcode" },
    { "status": 429, "action": "wait", "wait_seconds": 60, "retries": 20 },
    { "status": 500, "action": "wait", "wait_seconds": 300, "retries": 1 },
    { "status": 503, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6 }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4 }
}
"""

/// ltx-v2's error types mapped to actions (README, "Using the real API").
let ltxV2RetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail" },
    { "status": 401, "action": "hold", "stop_submitting": true },
    { "status": 402, "action": "hold", "stop_submitting": true },
    { "status": 404, "action": "fail" },
    { "status": 413, "action": "upload" },
    { "status": 422, "action": "fail" },
    { "status": 429, "action": "wait", "wait_seconds": 60, "retries": 20 },
    { "status": 500, "action": "wait", "wait_seconds": 300, "retries": 1 },
    { "status": 503, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6 },
    { "status": 504, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6 },
    { "status": 529, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6 }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4 }
}
"""

/// fal's table: no row is documented by fal (providers.md documents only 200/202 and a failed result's error
/// status), so each row is HTTP's meaning of the status, marked as such.
let falRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail", "note": "not documented by fal: HTTP's bad request" },
    { "status": 401, "action": "hold", "stop_submitting": true, "note": "not documented by fal: HTTP's missing or refused key" },
    { "status": 402, "action": "hold", "stop_submitting": true, "note": "not documented by fal: HTTP's payment required" },
    { "status": 403, "action": "hold", "stop_submitting": true, "note": "not documented by fal: HTTP's forbidden (the key's account)" },
    { "status": 404, "action": "fail", "note": "not documented by fal: unknown or expired request (results are kept 24 h)" },
    { "status": 413, "action": "fail", "note": "not documented by fal: HTTP's request too large" },
    { "status": 422, "action": "fail", "note": "not documented by fal: the input failed the model's schema" },
    { "status": 429, "action": "wait", "wait_seconds": 60, "retries": 20, "note": "not documented by fal: HTTP's too many requests" },
    { "status": 502, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by fal: HTTP's bad gateway" },
    { "status": 503, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by fal: HTTP's unavailable" },
    { "status": 504, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by fal: HTTP's gateway timeout" }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4, "note": "not documented by fal: HTTP's server error" }
}
"""

/// Replicate's table: 429 with `Retry-After` is documented (providers.md); the other rows are HTTP's meaning of the
/// status, marked as such.
let replicateRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail", "note": "not documented by Replicate: HTTP's bad request" },
    { "status": 401, "action": "hold", "stop_submitting": true, "note": "not documented by Replicate: HTTP's missing or refused token" },
    { "status": 402, "action": "hold", "stop_submitting": true, "note": "not documented by Replicate: HTTP's payment required (billing)" },
    { "status": 403, "action": "hold", "stop_submitting": true, "note": "not documented by Replicate: HTTP's forbidden (the token's account)" },
    { "status": 404, "action": "fail", "note": "not documented by Replicate: unknown model or prediction" },
    { "status": 413, "action": "fail", "note": "not documented by Replicate: HTTP's request too large" },
    { "status": 422, "action": "fail", "note": "not documented by Replicate: the input failed the model's schema" },
    { "status": 429, "action": "wait", "wait_seconds": 10, "retries": 20, "note": "documented: rate limited, honours Retry-After" },
    { "status": 502, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by Replicate: HTTP's bad gateway" },
    { "status": 503, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by Replicate: HTTP's unavailable" },
    { "status": 504, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by Replicate: HTTP's gateway timeout" }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4, "note": "not documented by Replicate: HTTP's server error" }
}
"""

/// WaveSpeed's table: the statuses the official SDK retries are documented (providers.md); the other rows are HTTP's
/// meaning of the status, marked as such.
let wavespeedRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail", "note": "not documented by WaveSpeed: HTTP's bad request" },
    { "status": 401, "action": "hold", "stop_submitting": true, "note": "not documented by WaveSpeed: HTTP's missing or refused key" },
    { "status": 402, "action": "hold", "stop_submitting": true, "note": "not documented by WaveSpeed: HTTP's payment required (balance)" },
    { "status": 403, "action": "hold", "stop_submitting": true, "note": "not documented by WaveSpeed: HTTP's forbidden (the key's account)" },
    { "status": 404, "action": "fail", "note": "not documented by WaveSpeed: unknown model path or task" },
    { "status": 413, "action": "fail", "note": "not documented by WaveSpeed: HTTP's request too large" },
    { "status": 422, "action": "fail", "note": "not documented by WaveSpeed: the input failed the model's schema" },
    { "status": 429, "action": "wait", "wait_seconds": 10, "retries": 20, "note": "documented: retried by the official SDK" },
    { "status": 500, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 300, "retries": 4, "note": "documented: retried by the official SDK" },
    { "status": 502, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 300, "retries": 6, "note": "documented: retried by the official SDK" },
    { "status": 503, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 300, "retries": 6, "note": "documented: retried by the official SDK" },
    { "status": 504, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 300, "retries": 6, "note": "documented: retried by the official SDK" }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4, "note": "not documented by WaveSpeed: HTTP's server error" }
}
"""

/// APIFree's table: no error status is documented by APIFree (providers.md), so each row is HTTP's meaning of the
/// status, marked as such.
let apifreeRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "fail", "note": "not documented by APIFree: HTTP's bad request" },
    { "status": 401, "action": "hold", "stop_submitting": true, "note": "not documented by APIFree: HTTP's missing or refused key" },
    { "status": 402, "action": "hold", "stop_submitting": true, "note": "not documented by APIFree: HTTP's payment required (balance)" },
    { "status": 403, "action": "hold", "stop_submitting": true, "note": "not documented by APIFree: HTTP's forbidden (the key's account)" },
    { "status": 404, "action": "fail", "note": "not documented by APIFree: unknown video" },
    { "status": 413, "action": "fail", "note": "not documented by APIFree: HTTP's request too large" },
    { "status": 422, "action": "fail", "note": "not documented by APIFree: HTTP's unprocessable request" },
    { "status": 429, "action": "wait", "wait_seconds": 60, "retries": 20, "note": "not documented by APIFree: HTTP's too many requests" },
    { "status": 502, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by APIFree: HTTP's bad gateway" },
    { "status": 503, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by APIFree: HTTP's unavailable" },
    { "status": 504, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 6, "note": "not documented by APIFree: HTTP's gateway timeout" }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 5 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 10, "max_wait_seconds": 300, "retries": 4, "note": "not documented by APIFree: HTTP's server error" }
}
"""

/// ComfyUI's table: ComfyUI documents 400 with `node_errors` for a workflow it cannot run; the other rows are HTTP's
/// meanings. A local server that stops answering is waited for (a restart takes a minute).
let comfyuiRetryPolicyJSON = """
{
  "rules": [
    { "status": 400, "action": "hold", "stop_submitting": true, "note": "documented: the workflow does not validate (node_errors names the node, the input and the missing file)" },
    { "status": 401, "action": "hold", "stop_submitting": true, "note": "not documented by ComfyUI (no authentication): a proxy in front refused COMFYUI_API_KEY" },
    { "status": 403, "action": "hold", "stop_submitting": true, "note": "not documented by ComfyUI (no authentication): a proxy in front refused the request" },
    { "status": 404, "action": "fail", "note": "not documented by ComfyUI: unknown route or file" },
    { "status": 413, "action": "fail", "note": "not documented by ComfyUI: HTTP's request too large" },
    { "status": 502, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 120, "retries": 10, "note": "not documented by ComfyUI: a proxy in front lost the server" },
    { "status": 503, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 120, "retries": 10, "note": "not documented by ComfyUI: HTTP's unavailable" }
  ],
  "transport": { "status": 0, "action": "backoff", "wait_seconds": 2, "max_wait_seconds": 60, "retries": 10 },
  "other_server_error": { "status": 0, "action": "backoff", "wait_seconds": 5, "max_wait_seconds": 120, "retries": 4, "note": "not documented by ComfyUI: HTTP's server error" }
}
"""
