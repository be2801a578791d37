import LTXCore
import Foundation

/// fal.ai's queue API: `POST {base}/{model_id}` with the model's input JSON → `{request_id, status_url,
/// response_url}`; `GET {status_url}` → `IN_QUEUE` / `IN_PROGRESS` (HTTP 202) or `COMPLETED` (200); `GET
/// {response_url}` → `{"video":{"url"}}`, or for a failed request an error status with a `detail` body.
/// The key goes as `Authorization: Key <FAL_KEY>`. The model id comes from the catalog's `model_ids` for the
/// job's model and mode; the size goes as fal's tier name and `aspect_ratio` from the catalog's `sizes`.
///
/// The returned status URL must have fal's shape (`…/{owner}/{app}/requests/{request_id}/status`); polls go to that
/// path under the configured base, never to a host the server names, so the key stays on the base's origin.
public struct FalDialect: Dialect {
    /// `fal`.
    public let dialectName = DialectName.fal
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The fal catalog.
    public let catalog: Catalog
    /// The fal error table.
    public let retryPolicy: RetryPolicy

    /// The dialect with `catalog` and the fal error table.
    public init(catalog: Catalog = .fal, retryPolicy: RetryPolicy = .fal) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
    }

    public func authorization(key: String) -> String { "Key \(key)" }

    /// Local files travel inline as base64 `data:` URIs (fal takes them in `image_url`); an https URL is passed as it is.
    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs {
        var resolved = inputs
        resolved.image = try inline(inputs.image)
        resolved.lastFrame = try inline(inputs.lastFrame)
        resolved.audio = try inline(inputs.audio)
        return resolved
    }

    private func inline(_ input: GenerationInput?) throws(APIError) -> GenerationInput? {
        guard case .file(let path, let contentType)? = input else { return input }
        let limit = catalog.inputs.image.maxBytes
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        guard let size else { throw .rejectedLocally("\(path): cannot read the input file") }
        guard size <= limit else {
            throw .rejectedLocally("\(path): \(size) bytes is more than the \(limit) the fal catalog allows inline (inputs.image.max_bytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .rejectedLocally("\(path): cannot read the input file") }
        return .uri("data:\(contentType);base64,\(data.base64EncodedString())")
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        guard let modelID = catalog.providerModelID(parameters.model, mode: parameters.mode) else {
            throw .rejectedLocally("fal cannot serve \(parameters.mode.rawValue) with \(parameters.model): the catalog names no fal model for it (models.\(parameters.model).model_ids.\(parameters.mode.rawValue))")
        }
        guard let size = catalog.sizes?[parameters.resolution] else {
            throw .rejectedLocally("fal cannot serve \(parameters.resolution) exactly: the catalog's sizes name no fal tier and aspect ratio for it")
        }
        if inputs.audio != nil { throw .rejectedLocally("fal serves no audio-to-video; an audio input cannot be sent") }
        if inputs.lastFrame != nil { throw .rejectedLocally("the fal catalog offers no last frame (end_image_url)") }
        var object: [String: Any] = [
            "prompt": parameters.prompt, "resolution": size.resolution, "aspect_ratio": size.aspectRatio,
            "fps": parameters.fps,
        ]
        guard let duration = parameters.duration else {
            throw .rejectedLocally("fal takes a duration in seconds; auto is not offered by the fal catalog")
        }
        object["duration"] = duration
        if let value = parameters.generateAudio { object["generate_audio"] = value }
        if let link = try ProviderConventions.startImageLink(mode: parameters.mode, image: inputs.image, provider: "fal", field: "image_url") {
            object["image_url"] = link
        }
        var url = base
        for segment in modelID.split(separator: "/") { url.appendPathComponent(String(segment)) }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        let object = try json(response)
        guard let requestID = object["request_id"] as? String, !requestID.isEmpty else {
            throw .malformedResponse("HTTP \(response.status) answer carries no request_id")
        }
        guard let statusURL = object["status_url"] as? String, let path = URLComponents(string: statusURL)?.path else {
            throw .malformedResponse("the submit answer for request \(DisplayText.escaped(requestID, limit: 80)) carries no status_url")
        }
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count >= 5, segments[segments.count - 1] == "status", segments[segments.count - 3] == "requests",
              segments[segments.count - 2] == requestID,
              let id = FalRequestID(owner: segments[segments.count - 5], app: segments[segments.count - 4], requestID: requestID) else {
            throw .malformedResponse("the status_url for request \(DisplayText.escaped(requestID, limit: 80)) is not …/{owner}/{app}/requests/{request_id}/status")
        }
        return GenerationStatus(id: id.description, state: .pending, requestID: response.requestID, responseBody: String(decoding: response.body, as: UTF8.self))
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest {
        HTTPRequest(method: "GET", url: try requestID(id).statusURL(base: base), headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        let object = try json(response)
        let body = String(decoding: response.body, as: UTF8.self)
        switch object["status"] as? String {
        case "IN_QUEUE": return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body)
        case "IN_PROGRESS": return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body)
        case "COMPLETED": return GenerationStatus(id: id, state: .completed, requestID: response.requestID, responseBody: body)
        default: throw .malformedResponse("request \(id) has an unknown status")
        }
    }

    public func resultRequest(id: String, base: URL) throws(APIError) -> HTTPRequest? {
        HTTPRequest(method: "GET", url: try requestID(id).responseURL(base: base), headers: [("Accept", "application/json")])
    }

    /// A completed request's result answering an error status with a `detail` body is the generation's failure
    /// (providers.md); the statuses that say something about the call instead (the key, an unknown or expired
    /// request, a rate limit, a gateway) keep their row in the error table.
    public func isGenerationFailure(_ response: HTTPResponse) -> Bool {
        guard ![401, 403, 404, 408, 429, 502, 503, 504].contains(response.status) else { return false }
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else { return false }
        return object["detail"] != nil
    }

    public func decodeResult(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        let body = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else {
            return GenerationStatus(id: id, state: .failed, failure: "HTTP \(response.status): \(detail(response))", requestID: response.requestID, responseBody: body)
        }
        let object = try json(response)
        guard let video = object["video"] as? [String: Any], let link = video["url"] as? String, !link.isEmpty else {
            throw .malformedResponse("request \(id) completed without video.url")
        }
        return GenerationStatus(id: id, state: .completed, videoURL: link, requestID: response.requestID, responseBody: body)
    }

    /// fal's statuses as APIError: 401/403 the key, 404 an unknown or expired request, 413 too large, 429 and 5xx
    /// unavailable, anything else (422 validation) a refused request. Only the result's failure is documented
    /// (providers.md); the rest are HTTP's meanings (see the error table).
    public func error(for response: HTTPResponse) -> APIError {
        let message = detail(response)
        return ProviderConventions.error(status: response.status, message: message, keyVariable: dialectName.keyVariable)
    }

    /// The `detail` of an error body: a string, or FastAPI's `[{"loc","msg"}]` list joined; else the common forms.
    private func detail(_ response: HTTPResponse) -> String {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        if let text = object?["detail"] as? String { return DisplayText.escaped(text, limit: 300) }
        if let items = object?["detail"] as? [[String: Any]] {
            let parts = items.prefix(5).map { item -> String in
                let location = (item["loc"] as? [Any])?.map { "\($0)" }.joined(separator: ".")
                let message = item["msg"] as? String ?? "invalid"
                return location.map { "\($0): \(message)" } ?? message
            }
            if !parts.isEmpty { return DisplayText.escaped(parts.joined(separator: "; "), limit: 300) }
        }
        return errorDetail(response).message
    }

    private func requestID(_ id: String) throws(APIError) -> FalRequestID {
        guard let parsed = FalRequestID(parsing: id) else {
            throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) is not a fal request id (owner:app:request_id, as ltxpipe records it)")
        }
        return parsed
    }

    private func json(_ response: HTTPResponse) throws(APIError) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        return object
    }
}
