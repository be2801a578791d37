import Foundation

/// An input file or URL for a generation.
public enum GenerationInput: Sendable, Equatable, Codable {
    /// A local file, uploaded by the dialect's own means.
    case file(path: String, contentType: String)
    /// An http(s) URL passed to the API as it is.
    case url(String)
    /// A URI the API resolves itself: `ltx://uploads/...` from an upload, or a `data:` URI.
    case uri(String)
}

/// Inputs of a request, by role.
public struct GenerationInputs: Sendable, Equatable, Codable {
    /// The start image (image-to-video).
    public var image: GenerationInput?
    /// The soundtrack (audio-to-video).
    public var audio: GenerationInput?
    /// The last frame (image-to-video on models that take one; ltx-v2).
    public var lastFrame: GenerationInput?

    /// Creates inputs.
    public init(image: GenerationInput? = nil, audio: GenerationInput? = nil, lastFrame: GenerationInput? = nil) {
        self.image = image
        self.audio = audio
        self.lastFrame = lastFrame
    }
}

/// Where a generation stands.
public struct GenerationStatus: Sendable, Codable, Equatable {
    /// The lifecycle states the dialects share.
    public enum State: String, Sendable, Codable {
        case pending, processing, completed, failed
        /// True for `completed` and `failed`.
        public var isTerminal: Bool { self == .completed || self == .failed }
    }

    /// The API's generation id.
    public var id: String
    /// The state.
    public var state: State
    /// Where the video can be fetched, once completed.
    public var videoURL: String?
    /// What the API charged, when it says.
    public var cost: Double?
    /// Why it failed, when it did.
    public var failure: String?
    /// The `x-request-id` of the call that returned this.
    public var requestID: String?
    /// The response body as received (for the archive's response.json).
    public var responseBody: String

    /// Creates a status.
    public init(id: String, state: State, videoURL: String? = nil, cost: Double? = nil, failure: String? = nil,
                requestID: String? = nil, responseBody: String = "") {
        self.id = id
        self.state = state
        self.videoURL = videoURL
        self.cost = cost
        self.failure = failure
        self.requestID = requestID
        self.responseBody = responseBody
    }
}

/// One wire protocol: how requests are shaped and responses read. Everything else (limits, retries, waiting,
/// downloading) is shared, so a second protocol is one more type conforming to this.
public protocol Dialect: Sendable {
    /// The dialect's name in pipeline files and `--dialect`.
    var dialectName: DialectName { get }
    /// What the protocol can do.
    var capabilities: DialectCapabilities { get }
    /// The models, presets and limits this protocol documents.
    var catalog: Catalog { get }
    /// The error table for this protocol.
    var retryPolicy: RetryPolicy { get }
    /// The request that submits a generation (without the Authorization header, which the client adds).
    func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest
    /// Reads a successful submit response.
    func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus
    /// The request that polls a generation (refused when `id` is not one this protocol made).
    func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest
    /// Reads a successful poll response.
    func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus
    /// The typed error for a non-success response (after the retry policy gave up or chose not to retry).
    func error(for response: HTTPResponse) -> APIError
    /// Turns local files into what the protocol carries (an upload's URI, a `data:` URI); the generations
    /// dialect keeps files for its multipart body.
    /// With `preferUpload`, every local file goes through the upload endpoint even when it could travel inline.
    func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs
    /// The request whose 200 body is the video itself, when the protocol has one.
    func syncRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest?
    /// The status an answer stands for: its HTTP status, unless the protocol wraps another in the body (WaveSpeed's
    /// `{"code"}` envelope, where a 200 carrying a failure code is that failure).
    func effectiveStatus(_ response: HTTPResponse) -> Int
    /// The `Authorization` header value that carries `key` (`Bearer KEY` unless the protocol says otherwise).
    func authorization(key: String) -> String
    /// The request that fetches a completed generation's result, for protocols whose poll answer does not carry the
    /// video URL (fal's response URL); nil when it does.
    func resultRequest(id: String, base: URL) throws(APIError) -> HTTPRequest?
    /// True when a non-success answer to the result request is the generation's own failure (to be read by
    /// `decodeResult`), not a call to retry or refuse.
    func isGenerationFailure(_ response: HTTPResponse) -> Bool
    /// Reads the answer to `resultRequest`: the completed status with its video URL, or the failed status.
    func decodeResult(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus
    /// The request whose answer describes what the service takes for this job (Replicate's model schema), read before
    /// a submit; nil when the protocol's inputs are known without asking.
    func schemaRequest(_ parameters: GenerationParameters, base: URL) throws(APIError) -> HTTPRequest?
    /// Checks `submit` against the answer to `schemaRequest`: a field or value the service does not list is refused
    /// locally (`rejectedLocally`), before anything is paid.
    func checkSchema(_ response: HTTPResponse, submit: HTTPRequest) throws(APIError)
    /// Seconds after a generation ends that its output stays downloadable, when the service deletes it (Replicate);
    /// a download refused by then is a lost output, not a download to retry.
    var outputLifetime: Double? { get }
    /// True when the finished file is fetched from the API itself (APIFree's `/v1/videos/{id}/content`), so the download
    /// carries the key, and only to the base's origin.
    var downloadNeedsKey: Bool { get }
    /// The generation id the client chose and put in `request` (ComfyUI's `prompt_id`), nil when the service chooses
    /// it. With one, the client asks for that id before sending, so a submit sent before a crash is never sent twice.
    func chosenID(in request: HTTPRequest) -> String?
    /// The base a new generation goes to, for a protocol that spreads jobs over several servers (a ComfyUI pool); nil:
    /// the client's base.
    func chooseBase(for parameters: GenerationParameters, inputs: GenerationInputs) async throws(APIError) -> URL?
}

/// Uploads a local file and returns the URI the API knows it by.
public protocol InputUploading: Sendable {
    /// Uploads `path` and returns its storage URI.
    func upload(path: String, contentType: String) async throws(APIError) -> String
    /// Sends a request a dialect built (a provider's own upload endpoint) with the key and the error table, as an
    /// idempotent call; returns the success answer.
    func send(_ request: HTTPRequest, endpoint: String) async throws(APIError) -> HTTPResponse
    /// The base URL the dialect's own endpoints are under (where the key may go).
    var base: URL { get }
}

extension Dialect {
    /// The dialect's name as written (`generations`, `ltx-v2`).
    public var name: String { dialectName.rawValue }

    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs { inputs }

    public func syncRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest? { nil }

    public func authorization(key: String) -> String { "Bearer \(key)" }

    public func effectiveStatus(_ response: HTTPResponse) -> Int { response.status }

    public func resultRequest(id: String, base: URL) throws(APIError) -> HTTPRequest? { nil }

    public func isGenerationFailure(_ response: HTTPResponse) -> Bool { false }

    public func schemaRequest(_ parameters: GenerationParameters, base: URL) throws(APIError) -> HTTPRequest? { nil }

    public func checkSchema(_ response: HTTPResponse, submit: HTTPRequest) throws(APIError) {}

    public var outputLifetime: Double? { nil }

    public var downloadNeedsKey: Bool { false }

    public func chosenID(in request: HTTPRequest) -> String? { nil }

    public func chooseBase(for parameters: GenerationParameters, inputs: GenerationInputs) async throws(APIError) -> URL? { nil }

    public func decodeResult(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        throw .malformedResponse("the \(name) protocol has no result request")
    }

    /// The `message` (and `type`) of an error body `{"error":{"type","message"}}`, `{"message"}` or plain text.
    func errorDetail(_ response: HTTPResponse) -> (type: String?, message: String) {
        let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        if let error = object?["error"] as? [String: Any] {
            return (error["type"] as? String, (error["message"] as? String) ?? "HTTP \(response.status)")
        }
        if let message = (object?["message"] as? String) ?? (object?["error"] as? String) { return (nil, message) }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (nil, text.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(text)")
    }
}
