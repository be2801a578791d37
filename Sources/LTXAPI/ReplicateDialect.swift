import LTXCore
import Foundation

/// Replicate's predictions API: `POST {base}/v1/models/{owner}/{name}/predictions` with `{"input":{...}}` → a
/// prediction; `GET {base}/v1/predictions/{id}` → `status` `starting | processing | succeeded | failed | canceled`,
/// `output` one URL string when succeeded, `error` a string when failed. The key goes as `Authorization: Bearer
/// <REPLICATE_API_TOKEN>`. Replicate deletes an API prediction's outputs after one hour, so a download refused after
/// that is a lost output (``APIError/outputLost(_:)``), never retried.
///
/// The input fields of each model are published only as the model's OpenAPI schema (`GET
/// /v1/models/{owner}/{name}`, `latest_version.openapi_schema`): before a submit the client reads it and refuses
/// locally any field or value the schema does not list, so nothing is guessed and nothing is silently changed.
public struct ReplicateDialect: Dialect {
    /// `replicate`.
    public let dialectName = DialectName.replicate
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The Replicate catalog.
    public let catalog: Catalog
    /// The Replicate error table.
    public let retryPolicy: RetryPolicy

    /// Seconds an output stays downloadable after the prediction (Replicate's documented retention).
    public static let outputRetention: Double = 3600

    /// The dialect with `catalog` and the Replicate error table.
    public init(catalog: Catalog = .replicate, retryPolicy: RetryPolicy = .replicate) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
    }

    public var outputLifetime: Double? { Self.outputRetention }

    /// Local files travel inline as base64 `data:` URIs in `image` (Replicate accepts data URIs for file inputs).
    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs {
        var resolved = inputs
        resolved.image = try InlineInput.dataURI(inputs.image, limit: catalog.inputs.image.maxBytes, provider: "Replicate")
        return resolved
    }

    /// `owner/name` for the job's model and mode.
    private func modelPath(_ parameters: GenerationParameters) throws(APIError) -> String {
        guard let modelID = catalog.providerModelID(parameters.model, mode: parameters.mode) else {
            throw .rejectedLocally("Replicate cannot serve \(parameters.mode.rawValue) with \(parameters.model): the catalog names no Replicate model for it (models.\(parameters.model).model_ids.\(parameters.mode.rawValue))")
        }
        guard modelID.split(separator: "/").count == 2 else {
            throw .rejectedLocally("\(modelID) is not a Replicate model name (owner/name)")
        }
        return modelID
    }

    private func modelURL(_ modelID: String, base: URL) -> URL {
        var url = base.appendingPathComponent("v1").appendingPathComponent("models")
        for segment in modelID.split(separator: "/") { url.appendPathComponent(String(segment)) }
        return url
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        let modelID = try modelPath(parameters)
        guard let size = catalog.sizes?[parameters.resolution] else {
            throw .rejectedLocally("Replicate cannot serve \(parameters.resolution) exactly: the catalog's sizes name no resolution and aspect ratio for it")
        }
        if inputs.audio != nil { throw .rejectedLocally("the Replicate catalog offers no audio-to-video; an audio input cannot be sent") }
        if inputs.lastFrame != nil { throw .rejectedLocally("the Replicate catalog offers no last frame") }
        guard let duration = parameters.duration else {
            throw .rejectedLocally("Replicate takes a duration in seconds; auto is not offered by the Replicate catalog")
        }
        var input: [String: Any] = [
            "prompt": parameters.prompt, "resolution": size.resolution, "aspect_ratio": size.aspectRatio,
            "duration": duration, "fps": parameters.fps,
        ]
        if let value = parameters.generateAudio { input["generate_audio"] = value }
        if let link = try ProviderConventions.startImageLink(mode: parameters.mode, image: inputs.image, provider: "Replicate", field: "image") {
            input["image"] = link
        }
        let url = modelURL(modelID, base: base).appendingPathComponent("predictions")
        do {
            let data = try JSONSerialization.data(withJSONObject: ["input": input], options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    /// `GET {base}/v1/models/{owner}/{name}`: the model, whose latest version carries the input schema.
    public func schemaRequest(_ parameters: GenerationParameters, base: URL) throws(APIError) -> HTTPRequest? {
        HTTPRequest(method: "GET", url: modelURL(try modelPath(parameters), base: base), headers: [("Accept", "application/json")])
    }

    /// Every field of the submit's `input` must be a property of the schema's `Input`, and a value with an `enum`
    /// (inline or through `allOf`/`$ref`) one of its values; the first that is not is refused with the schema's words.
    public func checkSchema(_ response: HTTPResponse, submit: HTTPRequest) throws(APIError) {
        guard let model = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let version = model["latest_version"] as? [String: Any],
              let openAPI = version["openapi_schema"] as? [String: Any],
              let schemas = (openAPI["components"] as? [String: Any])?["schemas"] as? [String: Any],
              let inputSchema = schemas["Input"] as? [String: Any],
              let properties = inputSchema["properties"] as? [String: Any] else {
            throw .malformedResponse("the model answer carries no latest_version.openapi_schema with an Input schema")
        }
        let name = [model["owner"] as? String, model["name"] as? String].compactMap { $0 }.joined(separator: "/")
        guard case .data(let data, _) = submit.body,
              let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let input = body["input"] as? [String: Any] else {
            throw .rejectedLocally("the submit carries no input object")
        }
        for key in input.keys.sorted() {
            guard let property = properties[key] as? [String: Any] else {
                throw .rejectedLocally("Replicate's \(DisplayText.escaped(name, limit: 80)) takes no \(key) input (its schema lists \(properties.keys.sorted().joined(separator: ", "))); the job cannot be sent exactly as asked")
            }
            guard let allowed = Self.enumValues(property, schemas: schemas), let value = input[key] else { continue }
            let text = Self.comparable(value)
            guard allowed.map(Self.comparable).contains(text) else {
                throw .rejectedLocally("Replicate's \(DisplayText.escaped(name, limit: 80)) takes \(key) \(allowed.map(Self.comparable).joined(separator: ", ")), not \(text)")
            }
        }
    }

    private static func enumValues(_ property: [String: Any], schemas: [String: Any]) -> [Any]? {
        if let values = property["enum"] as? [Any] { return values }
        let references = ((property["allOf"] as? [Any]) ?? []) + [property]
        for case let item as [String: Any] in references {
            guard let reference = item["$ref"] as? String, reference.hasPrefix("#/components/schemas/") else { continue }
            let target = String(reference.dropFirst("#/components/schemas/".count))
            if let values = (schemas[target] as? [String: Any])?["enum"] as? [Any] { return values }
        }
        return nil
    }

    /// A JSON value as JSON text (`25`, `"1080p"`, `true`), so that a string and a number never compare equal.
    private static func comparable(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]) else {
            return DisplayText.escaped("\(value)", limit: 60)
        }
        return DisplayText.escaped(String(decoding: data, as: UTF8.self), limit: 60)
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        try prediction(response, id: nil)
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest {
        guard Self.isPredictionID(id) else {
            throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) is not a Replicate prediction id")
        }
        return HTTPRequest(method: "GET", url: base.appendingPathComponent("v1").appendingPathComponent("predictions").appendingPathComponent(id),
                           headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        try prediction(response, id: id)
    }

    /// Reads a prediction. `succeeded` without an output URL is a lost output (Replicate deleted it).
    private func prediction(_ response: HTTPResponse, id expected: String?) throws(APIError) -> GenerationStatus {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        guard let id = object["id"] as? String, Self.isPredictionID(id) else {
            throw .malformedResponse("HTTP \(response.status) answer carries no usable prediction id")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        let status = object["status"] as? String
        switch status {
        case "starting":
            return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body)
        case "processing":
            return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body)
        case "succeeded":
            guard let link = object["output"] as? String, !link.isEmpty else {
                throw .outputLost("prediction \(id) succeeded but its output is gone (Replicate deletes outputs \(Int(Self.outputRetention / 60)) minutes after a prediction); the video was paid for and cannot be fetched")
            }
            return GenerationStatus(id: id, state: .completed, videoURL: link, requestID: response.requestID, responseBody: body)
        case "failed", "canceled":
            let reason = (object["error"] as? String).map { DisplayText.escaped($0, limit: 300) } ?? "no reason given"
            let failure = status == "canceled" ? "prediction \(id) was canceled" : reason
            return GenerationStatus(id: id, state: .failed, failure: failure, requestID: response.requestID, responseBody: body)
        default:
            throw .malformedResponse("prediction \(id) has an unknown status")
        }
    }

    /// Replicate's statuses as APIError: 401/403 the key, 402 billing, 404 unknown, 413 too large, 422 the input,
    /// 429 and 5xx unavailable. Only 429 is documented (providers.md); the rest are HTTP's meanings (see the table).
    public func error(for response: HTTPResponse) -> APIError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        let message = (object?["detail"] as? String).map { DisplayText.escaped($0, limit: 300) } ?? errorDetail(response).message
        return ProviderConventions.error(status: response.status, message: message, keyVariable: dialectName.keyVariable)
    }

    /// Replicate's ids: letters and digits (at most 64).
    static func isPredictionID(_ id: String) -> Bool { ProviderConventions.isPlainID(id, maxLength: 64) }
}
