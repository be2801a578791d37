import LTXCore
import Foundation

/// APIFree's OpenAI-style video API: `POST {base}/v1/videos` with `{model, prompt, size: "WxH", seconds}` (JSON, or
/// multipart with the start image as the `input_reference` file) → a task `{id, object: "video", status, ...}`; `GET
/// {base}/v1/videos/{id}` → `queued | in_progress | completed | failed`. APIFree does not document the download: the
/// OpenAI video API it mirrors serves the file at `GET {base}/v1/videos/{id}/content`, with the key, which is what this
/// dialect fetches (the key goes only to the base's origin). A failure's reason is read from the mirrored API's
/// `error.message` when present. The key goes as `Authorization: Bearer <APIFREE_API_KEY>`.
public struct APIFreeDialect: Dialect {
    /// `apifree`.
    public let dialectName = DialectName.apifree
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The APIFree catalog.
    public let catalog: Catalog
    /// The APIFree error table.
    public let retryPolicy: RetryPolicy

    /// The dialect with `catalog` and the APIFree error table.
    public init(catalog: Catalog = .apifree, retryPolicy: RetryPolicy = .apifree) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
    }

    public var downloadNeedsKey: Bool { true }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        guard let model = catalog.providerModelID(parameters.model, mode: parameters.mode) else {
            throw .rejectedLocally("APIFree cannot serve \(parameters.mode.rawValue) with \(parameters.model): the catalog names no APIFree model for it (models.\(parameters.model).model_ids.\(parameters.mode.rawValue))")
        }
        guard let duration = parameters.duration else {
            throw .rejectedLocally("APIFree takes seconds as a number; auto is not offered by the APIFree catalog")
        }
        if inputs.audio != nil { throw .rejectedLocally("the APIFree catalog offers no audio-to-video; an audio input cannot be sent") }
        if inputs.lastFrame != nil { throw .rejectedLocally("the APIFree catalog offers no last frame") }
        let fields: [(String, String)] = [
            ("model", model), ("prompt", parameters.prompt), ("size", parameters.resolution.description), ("seconds", String(duration)),
        ]
        let url = base.appendingPathComponent("v1").appendingPathComponent("videos")
        switch (parameters.mode, inputs.image) {
        case (.imageToVideo, .file(let path, let contentType)?):
            let parts = fields.map { MultipartPart.field(name: $0.0, value: $0.1) }
                + [.file(name: "input_reference", path: path, filename: URL(fileURLWithPath: path).lastPathComponent, contentType: contentType)]
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .multipart(parts))
        case (.imageToVideo, _):
            throw .rejectedLocally("image-to-video on APIFree needs a local start image (sent as the input_reference file)")
        case (_, nil):
            break
        case (_, .some):
            throw .rejectedLocally("\(parameters.mode.rawValue) on APIFree takes no start image")
        }
        let object = Dictionary(uniqueKeysWithValues: fields)
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        try task(response)
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest {
        guard Self.isTaskID(id) else { throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) is not an APIFree video id") }
        return HTTPRequest(method: "GET", url: base.appendingPathComponent("v1").appendingPathComponent("videos").appendingPathComponent(id),
                           headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        try task(response)
    }

    /// Reads a task; a completed one's video is `v1/videos/{id}/content` under the base (the client makes it absolute).
    private func task(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        guard let id = object["id"] as? String, Self.isTaskID(id) else {
            throw .malformedResponse("HTTP \(response.status) answer carries no usable video id")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        switch object["status"] as? String {
        case "queued":
            return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body)
        case "in_progress":
            return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body)
        case "completed":
            return GenerationStatus(id: id, state: .completed, videoURL: "v1/videos/\(id)/content", requestID: response.requestID, responseBody: body)
        case "failed":
            let message = ((object["error"] as? [String: Any])?["message"] as? String) ?? (object["error"] as? String)
            let reason = message.flatMap { $0.isEmpty ? nil : DisplayText.escaped($0, limit: 300) } ?? "no reason given"
            return GenerationStatus(id: id, state: .failed, failure: reason, requestID: response.requestID, responseBody: body)
        default:
            throw .malformedResponse("video \(id) has an unknown status")
        }
    }

    /// APIFree documents no error statuses: these are HTTP's meanings (401/403 the key, 402 the balance, 404 unknown,
    /// 413 too large, 429 and 5xx unavailable), marked as such in the table.
    public func error(for response: HTTPResponse) -> APIError {
        let message = errorDetail(response).message
        return ProviderConventions.error(status: response.status, message: message, keyVariable: dialectName.keyVariable)
    }

    /// Video ids: letters, digits, `-` and `_` (at most 100).
    static func isTaskID(_ id: String) -> Bool { ProviderConventions.isPlainID(id, maxLength: 100, extra: ProviderConventions.dashAndUnderscore) }
}
