/// Faults the simulator injects, mostly as counts of upcoming occurrences so a test can ask for a one-off failure.
///
/// Each count goes down by one every time its fault fires; at zero the simulator behaves again.
public struct FaultPlan: Sendable, Equatable, Codable {
    /// A run of 5xx answers to the next API (`/v1`, `/v2`) requests.
    public struct ErrorBurst: Sendable, Equatable, Codable {
        /// The status sent.
        public enum Status: Int, Sendable, Codable, CaseIterable {
            /// 500, error type `server_error`.
            case serverError = 500
            /// 503, error type `unavailable` (ltx-v2: `api_error`), with a `Retry-After` header.
            case unavailable = 503
            /// 504, error type `gateway_timeout` (ltx-v2: `api_error`), no `Retry-After`.
            case gatewayTimeout = 504
            /// 529, error type `overloaded` (ltx-v2: `overloaded_error`), with a `Retry-After` header.
            case overloaded = 529
        }

        /// Which status the burst answers with.
        public var status: Status
        /// How many API requests still get it.
        public var count: Int
        /// `Retry-After` seconds (simulated) sent with 503s and 529s.
        public var retryAfter: Int

        /// A burst of `count` answers with `status`.
        public init(status: Status, count: Int, retryAfter: Int = 5) {
            self.status = status
            self.count = count
            self.retryAfter = retryAfter
        }

        /// Parses `STATUSxCOUNT`, e.g. `503x3`, `500x1` or `529x2`.
        public init(parsing text: String) throws(SimulatorServerError) {
            let parts = text.lowercased().split(separator: "x")
            guard parts.count == 2, let code = Int(parts[0]), let status = Status(rawValue: code),
                  let count = Int(parts[1]), count >= 0 else {
                throw .invalidConfiguration("error burst \"\(text)\" must be STATUSxCOUNT with STATUS 500, 503, 504 or 529, e.g. 503x3")
            }
            self.init(status: status, count: count)
        }
    }

    /// The next N accepted jobs render one frame more than the request implies (8n+2 instead of 8n+1).
    public var wrongFrameCount: Int
    /// The next N accepted jobs render at 24 fps instead of the requested rate (25 fps when 24 was asked; same frame count).
    public var wrongFPS: Int
    /// The next N `/files` responses announce the full Content-Length, send about half, then close the connection.
    public var truncatedDownloads: Int
    /// The next N submits are accepted and charged, then the connection drops before the response body is sent.
    public var resetAfterSubmit: Int
    /// The next `count` API requests answer 500, 503, 504 or 529 (after authentication and rate limits).
    public var errorBurst: ErrorBurst?
    /// Simulated seconds every poll response is delayed (0 = none). Not a count: it stays until changed.
    public var slowResponses: Double
    /// The next N accepted jobs end with `status: failed`.
    public var failedGenerations: Int
    /// The next N ltx-v2 submits (async or sync) that pass validation are refused by the "safety filter":
    /// 422 `content_filtered_error`, nothing charged. The generations dialect has no safety filter and ignores it.
    public var contentFiltered: Int

    /// ltx-v2: the next N submits (async or sync) are answered 413 with an HTML body, as the proxy in front of the API
    /// sends for a body it finds too large: not JSON, nothing charged.
    public var proxyTooLarge: Int
    /// ltx-v2: the next N accepted upload `PUT`s answer 201 Created instead of ``SimulatorConfiguration/uploadPutStatus``.
    public var uploadPutCreated: Int
    /// The next N accepted jobs end failed because the safety filter refused the result (ltx-v2: `error.type`
    /// `content_filtered_error`; generations: `content_filtered`).
    public var filteredGenerations: Int
    /// The next N accepted jobs render all-black frames (a tripped safety filter on some services).
    /// Per job: put ``PromptMarker/black`` in the prompt.
    public var blackVideos: Int
    /// The next N accepted jobs render one picture repeated for every frame. Per job: ``PromptMarker/frozen``.
    public var frozenVideos: Int
    /// The next N accepted image-to-video jobs (and audio-to-video jobs with an image) start from another picture
    /// than the start image. Per job: ``PromptMarker/otherImage``.
    public var wrongStartImages: Int
    /// The next N accepted jobs that promise audio carry a silent track. Per job: ``PromptMarker/silent``.
    public var silentAudio: Int
    /// The next N accepted jobs that promise audio carry another soundtrack (audio-to-video: not the input audio).
    /// Per job: ``PromptMarker/otherAudio``.
    public var wrongSoundtracks: Int

    /// Text in a prompt that makes that one job show a content failure, whatever the counts of the plan.
    public enum PromptMarker: String, Sendable, CaseIterable {
        /// All-black frames.
        case black = "[sim:black]"
        /// One picture repeated.
        case frozen = "[sim:frozen]"
        /// Image-to-video from another picture.
        case otherImage = "[sim:other-image]"
        /// A silent audio track.
        case silent = "[sim:silent]"
        /// Another soundtrack.
        case otherAudio = "[sim:other-audio]"
    }

    /// A plan; by default no faults.
    public init(
        wrongFrameCount: Int = 0,
        wrongFPS: Int = 0,
        truncatedDownloads: Int = 0,
        resetAfterSubmit: Int = 0,
        errorBurst: ErrorBurst? = nil,
        slowResponses: Double = 0,
        failedGenerations: Int = 0,
        contentFiltered: Int = 0,
        proxyTooLarge: Int = 0,
        uploadPutCreated: Int = 0,
        filteredGenerations: Int = 0,
        blackVideos: Int = 0,
        frozenVideos: Int = 0,
        wrongStartImages: Int = 0,
        silentAudio: Int = 0,
        wrongSoundtracks: Int = 0
    ) {
        self.proxyTooLarge = proxyTooLarge
        self.uploadPutCreated = uploadPutCreated
        self.filteredGenerations = filteredGenerations
        self.blackVideos = blackVideos
        self.frozenVideos = frozenVideos
        self.wrongStartImages = wrongStartImages
        self.silentAudio = silentAudio
        self.wrongSoundtracks = wrongSoundtracks
        self.wrongFrameCount = wrongFrameCount
        self.wrongFPS = wrongFPS
        self.truncatedDownloads = truncatedDownloads
        self.resetAfterSubmit = resetAfterSubmit
        self.errorBurst = errorBurst
        self.slowResponses = slowResponses
        self.failedGenerations = failedGenerations
        self.contentFiltered = contentFiltered
    }

    /// True when no fault is pending.
    public var isEmpty: Bool {
        wrongFrameCount <= 0 && wrongFPS <= 0 && truncatedDownloads <= 0 && resetAfterSubmit <= 0
            && (errorBurst?.count ?? 0) <= 0 && slowResponses <= 0 && failedGenerations <= 0
            && contentFiltered <= 0 && proxyTooLarge <= 0 && uploadPutCreated <= 0 && filteredGenerations <= 0
            && blackVideos <= 0 && frozenVideos <= 0 && wrongStartImages <= 0 && silentAudio <= 0 && wrongSoundtracks <= 0
    }

    /// Takes one occurrence from a count, returning whether the fault fires.
    static func take(_ count: inout Int) -> Bool {
        guard count > 0 else { return false }
        count -= 1
        return true
    }
}
