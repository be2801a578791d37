/// What the simulator has seen so far; served as JSON at `GET /_simulator/stats` and by ``SimulatorServer/stats()``.
///
/// JSON keys are snake_case: `requests` {`submit`, `poll`, `download`, `other`}, `submits_accepted`, `submits_by_prompt`,
/// `rate_limited`, `peak_in_flight`, `max_requests_in_window`, `cost_charged`, `credits`,
/// `authorization_on_downloads`, `unauthorized`, and for the ltx-v2 dialect `uploads`, `authorization_on_uploads`,
/// `expired_polls`, `sync_submits`, `concurrency_limited`, `peak_concurrent_generations`, `cost_by_generation`,
/// `unpriced_generations`, `content_failures`.
public struct SimulatorStats: Sendable, Equatable, Codable {
    /// Requests received per endpoint, whatever their answer (401s and 429s included).
    public struct Requests: Sendable, Equatable, Codable {
        /// Submits (`POST /v1/generations/{mode}`, `POST /v2/{mode}` and the synchronous `POST /v1/{mode}`).
        public var submit: Int
        /// Polls (`GET /v1/generations/{id}`, `GET /v2/{mode}/{id}`).
        public var poll: Int
        /// Video downloads (`GET /files/...`).
        public var download: Int
        /// Everything else except `/_simulator/...` and upload `PUT`s (`POST /v1/upload` counts here).
        public var other: Int

        /// Counts, zero by default.
        public init(submit: Int = 0, poll: Int = 0, download: Int = 0, other: Int = 0) {
            self.submit = submit
            self.poll = poll
            self.download = download
            self.other = other
        }

        /// All requests counted.
        public var total: Int { submit + poll + download + other }
    }

    /// Requests per endpoint.
    public var requests: Requests
    /// Submits that created a job (and were charged), including ones whose connection was then dropped.
    public var submitsAccepted: Int
    /// Accepted submits per prompt text.
    public var submitsByPrompt: [String: Int]
    /// 429 answers sent for the request limits (requests in flight, requests per window); ltx-v2 calls them
    /// `rate_limit_error`. The generations limit's 429s are counted apart in ``concurrencyLimited``.
    public var rateLimited: Int
    /// The most API requests that were being handled at the same moment.
    public var peakInFlight: Int
    /// The most accepted API requests inside any rolling rate window.
    public var maxRequestsInWindow: Int
    /// USD charged for accepted submits.
    public var costCharged: Double
    /// USD left on the account.
    public var credits: Double
    /// Download requests that carried an `Authorization` header (a client must never send its key there).
    public var authorizationOnDownloads: Int
    /// API requests refused with 401.
    public var unauthorized: Int
    /// `PUT`s received at upload URLs (`/_uploads/...`), whatever their answer; not API requests, never rate limited.
    public var uploads: Int
    /// Upload `PUT`s that carried an `Authorization` header (refused with 403: the key must never go there).
    public var authorizationOnUploads: Int
    /// ltx-v2 polls of a job whose status had expired (``SimulatorConfiguration/jobLifetime`` after completion), answered 404.
    public var expiredPolls: Int
    /// Accepted synchronous submits (`POST /v1/{mode}` of the ltx-v2 dialect); also counted in ``submitsAccepted``.
    public var syncSubmits: Int

    /// ltx-v2 submits refused with 429 `concurrency_limit_error` because the account already ran
    /// ``SimulatorConfiguration/concurrentGenerations`` generations.
    public var concurrencyLimited: Int
    /// The most generations (accepted, not yet completed or failed; every dialect) running at the same moment.
    public var peakConcurrentGenerations: Int
    /// What each accepted job whose price is known was charged, USD, by generation id.
    public var costByGeneration: [String: Double]
    /// Accepted jobs whose price is unknown (missing from ``SimulatorConfiguration/ltxV2Prices``): charged nothing.
    public var unpricedGenerations: Int

    /// Accepted jobs whose video was rendered with a content failure (black, frozen, another start picture, a silent
    /// track or another soundtrack), by fault count or prompt marker.
    public var contentFailures: Int

    /// All 429 answers: the request limits' and the generations limit's.
    public var tooManyRequests: Int { rateLimited + concurrencyLimited }

    /// Stats, zero by default.
    public init(
        requests: Requests = Requests(), submitsAccepted: Int = 0, submitsByPrompt: [String: Int] = [:], rateLimited: Int = 0,
        peakInFlight: Int = 0, maxRequestsInWindow: Int = 0, costCharged: Double = 0, credits: Double = 0,
        authorizationOnDownloads: Int = 0, unauthorized: Int = 0, uploads: Int = 0, authorizationOnUploads: Int = 0,
        expiredPolls: Int = 0, syncSubmits: Int = 0, concurrencyLimited: Int = 0, peakConcurrentGenerations: Int = 0,
        costByGeneration: [String: Double] = [:], unpricedGenerations: Int = 0, contentFailures: Int = 0
    ) {
        self.contentFailures = contentFailures
        self.concurrencyLimited = concurrencyLimited
        self.peakConcurrentGenerations = peakConcurrentGenerations
        self.costByGeneration = costByGeneration
        self.unpricedGenerations = unpricedGenerations
        self.requests = requests
        self.submitsAccepted = submitsAccepted
        self.submitsByPrompt = submitsByPrompt
        self.rateLimited = rateLimited
        self.peakInFlight = peakInFlight
        self.maxRequestsInWindow = maxRequestsInWindow
        self.costCharged = costCharged
        self.credits = credits
        self.authorizationOnDownloads = authorizationOnDownloads
        self.unauthorized = unauthorized
        self.uploads = uploads
        self.authorizationOnUploads = authorizationOnUploads
        self.expiredPolls = expiredPolls
        self.syncSubmits = syncSubmits
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case submitsAccepted = "submits_accepted"
        case submitsByPrompt = "submits_by_prompt"
        case rateLimited = "rate_limited"
        case peakInFlight = "peak_in_flight"
        case maxRequestsInWindow = "max_requests_in_window"
        case costCharged = "cost_charged"
        case credits
        case authorizationOnDownloads = "authorization_on_downloads"
        case unauthorized
        case uploads
        case authorizationOnUploads = "authorization_on_uploads"
        case expiredPolls = "expired_polls"
        case syncSubmits = "sync_submits"
        case concurrencyLimited = "concurrency_limited"
        case peakConcurrentGenerations = "peak_concurrent_generations"
        case costByGeneration = "cost_by_generation"
        case unpricedGenerations = "unpriced_generations"
        case contentFailures = "content_failures"
    }
}
