import LTXCore
import Foundation

/// WaveSpeed AI's v3 API: `POST {base}/api/v3/{model-path}` with the model's input JSON → the envelope
/// `{"code":200,"message":"success","data":{"id","status":"created","urls":{"get"}}}`; `GET
/// {base}/api/v3/predictions/{id}/result` → `data.status` `created → processing → completed | failed`, the video at
/// `data.outputs[0]`, a failure's reason in `data.error`. Any answer whose HTTP status or envelope `code` is not 200 is a
/// failure, read through the error table by that code. Local start images go through `POST
/// {base}/api/v3/media/upload/binary` (multipart field `file`) and the request carries the returned `download_url`.
/// The key goes as `Authorization: Bearer <WAVESPEED_API_KEY>`.
public struct WaveSpeedDialect: Dialect {
    /// `wavespeed`.
    public let dialectName = DialectName.wavespeed
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The WaveSpeed catalog.
    public let catalog: Catalog
    /// The WaveSpeed error table.
    public let retryPolicy: RetryPolicy

    /// The dialect with `catalog` and the WaveSpeed error table.
    public init(catalog: Catalog = .wavespeed, retryPolicy: RetryPolicy = .wavespeed) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
    }

    /// The envelope's `code` when the HTTP status is 200 and the body carries another one.
    public func effectiveStatus(_ response: HTTPResponse) -> Int {
        guard response.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let code = (object["code"] as? NSNumber)?.intValue, code != 200 else { return response.status }
        return (100...599).contains(code) ? code : 500
    }

    /// Local files are uploaded as binary (`/api/v3/media/upload/binary`, field `file`); the request carries the
    /// `download_url`. https URLs pass as they are.
    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs {
        var resolved = inputs
        guard case .file(let path, let contentType)? = inputs.image else { return resolved }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        guard let size else { throw .rejectedLocally("\(path): cannot read the input file") }
        let limit = catalog.inputs.image.maxBytes
        guard size <= limit else {
            throw .rejectedLocally("\(path): \(size) bytes is more than the \(limit) WaveSpeed takes for an image upload (inputs.image.max_bytes)")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let request = HTTPRequest(
            method: "POST", url: uploader.base.appendingPathComponent("api/v3/media/upload/binary"), headers: [("Accept", "application/json")],
            body: .multipart([.file(name: "file", path: path, filename: name, contentType: contentType)]), timeout: 120)
        let response = try await uploader.send(request, endpoint: "upload")
        let data = try envelopeData(response)
        guard let link = data["download_url"] as? String, link.lowercased().hasPrefix("http") else {
            throw .malformedResponse("the upload answer for \(name) carries no download_url")
        }
        resolved.image = .url(link)
        return resolved
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        guard let path = catalog.providerModelID(parameters.model, mode: parameters.mode) else {
            throw .rejectedLocally("WaveSpeed cannot serve \(parameters.mode.rawValue) with \(parameters.model): the catalog names no WaveSpeed model path for it (models.\(parameters.model).model_ids.\(parameters.mode.rawValue))")
        }
        guard let duration = parameters.duration else {
            throw .rejectedLocally("WaveSpeed takes a duration in seconds; auto is not offered by the WaveSpeed catalog")
        }
        if inputs.audio != nil { throw .rejectedLocally("the WaveSpeed catalog offers no audio-to-video; an audio input cannot be sent") }
        if inputs.lastFrame != nil { throw .rejectedLocally("the WaveSpeed catalog offers no last frame") }
        var object: [String: Any] = ["prompt": parameters.prompt, "duration": duration]
        if let value = parameters.generateAudio { object["generate_audio"] = value }
        switch (parameters.mode, inputs.image) {
        case (.imageToVideo, nil):
            throw .rejectedLocally("image-to-video on WaveSpeed needs a start image (image)")
        case (.imageToVideo, .url(let link)?), (.imageToVideo, .uri(let link)?):
            guard link.lowercased().hasPrefix("https://") || link.lowercased().hasPrefix("http://") else {
                throw .rejectedLocally("WaveSpeed takes a start image as an uploaded file or an http(s) URL")
            }
            object["image"] = link
        case (.imageToVideo, .file(let path, _)?):
            throw .rejectedLocally("\(path): a local file must be uploaded before a WaveSpeed request")
        case (_, nil):
            break
        case (_, .some):
            throw .rejectedLocally("\(parameters.mode.rawValue) on WaveSpeed takes no start image")
        }
        var url = base.appendingPathComponent("api").appendingPathComponent("v3")
        for segment in path.split(separator: "/") { url.appendPathComponent(String(segment)) }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        try task(response, id: nil)
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest {
        guard Self.isTaskID(id) else { throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) is not a WaveSpeed task id") }
        let url = base.appendingPathComponent("api").appendingPathComponent("v3").appendingPathComponent("predictions")
            .appendingPathComponent(id).appendingPathComponent("result")
        return HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        try task(response, id: id)
    }

    private func task(_ response: HTTPResponse, id expected: String?) throws(APIError) -> GenerationStatus {
        let data = try envelopeData(response)
        guard let id = data["id"] as? String, Self.isTaskID(id) else {
            throw .malformedResponse("the answer carries no usable data.id")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        switch data["status"] as? String {
        case "created":
            return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body)
        case "processing":
            return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body)
        case "completed":
            guard let link = (data["outputs"] as? [Any])?.first as? String, !link.isEmpty else {
                throw .malformedResponse("task \(id) completed without data.outputs[0]")
            }
            return GenerationStatus(id: id, state: .completed, videoURL: link, requestID: response.requestID, responseBody: body)
        case "failed":
            let reason = (data["error"] as? String).flatMap { $0.isEmpty ? nil : DisplayText.escaped($0, limit: 300) } ?? "no reason given"
            return GenerationStatus(id: id, state: .failed, failure: reason, requestID: response.requestID, responseBody: body)
        default:
            throw .malformedResponse("task \(id) has an unknown status")
        }
    }

    /// `data` of a `{code: 200, data}` envelope.
    private func envelopeData(_ response: HTTPResponse) throws(APIError) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        guard (object["code"] as? NSNumber)?.intValue == 200, let data = object["data"] as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) answer is not a {code: 200, data} envelope")
        }
        return data
    }

    /// WaveSpeed's codes as APIError (the HTTP status, or the envelope's `code` in a 200): 401/403 the key, 402 the
    /// balance, 404 unknown, 413 too large, 429 and 5xx unavailable. providers.md documents only that any status but
    /// 200 is a failure and which statuses the official SDK retries; the meanings are HTTP's (see the table).
    public func error(for response: HTTPResponse) -> APIError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let message = (object?["message"] as? String).map { DisplayText.escaped($0, limit: 300) } ?? errorDetail(response).message
        return ProviderConventions.error(status: response.status, message: message, keyVariable: dialectName.keyVariable)
    }

    /// Task ids: letters, digits, `-` and `_` (at most 100).
    static func isTaskID(_ id: String) -> Bool { ProviderConventions.isPlainID(id, maxLength: 100, extra: ProviderConventions.dashAndUnderscore) }
}
