import Foundation

/// The protocol api.ltx.video serves: `POST {base}/v2/{mode}` → 202 `{id}`, `GET {base}/v2/{mode}/{id}`,
/// inputs as URIs (uploads through `/v1/upload`, `data:` URIs, https URLs), errors as
/// `{"type":"error","error":{"type","message"}}`, and an optional sync `POST {base}/v1/{mode}` whose body is the MP4.
public struct LTXV2Dialect: Dialect {
    /// `ltx-v2`.
    public let dialectName = DialectName.ltxV2
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The ltx-v2 catalog.
    public let catalog: Catalog
    /// The ltx-v2 error table (422 is the safety filter here: never retried).
    public let retryPolicy: RetryPolicy
    /// Files up to this size go inline as `data:` URIs (well inside the documented 7 MB / 15 MB); larger ones are uploaded.
    public let dataURIMaxBytes: Int64

    /// The dialect with its built-in catalog and error table.
    public init(catalog: Catalog = .ltxV2, retryPolicy: RetryPolicy = .ltxV2, dataURIMaxBytes: Int64 = 1_000_000) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
        self.dataURIMaxBytes = dataURIMaxBytes
    }

    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs {
        var resolved = inputs
        resolved.image = try await resolve(inputs.image, uploader: uploader, preferUpload: preferUpload)
        resolved.audio = try await resolve(inputs.audio, uploader: uploader, preferUpload: preferUpload)
        resolved.lastFrame = try await resolve(inputs.lastFrame, uploader: uploader, preferUpload: preferUpload)
        return resolved
    }

    private func resolve(_ input: GenerationInput?, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInput? {
        guard case .file(let path, let contentType)? = input else { return input }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        guard let size else { throw .rejectedLocally("\(path): cannot read the input file") }
        if !preferUpload, size <= dataURIMaxBytes, let data = FileManager.default.contents(atPath: path) {
            return .uri("data:\(contentType);base64,\(data.base64EncodedString())")
        }
        return .uri(try await uploader.upload(path: path, contentType: contentType))
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        try request(parameters, inputs: inputs, url: base.appendingPathComponent("v2").appendingPathComponent(parameters.mode.rawValue))
    }

    public func syncRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest? {
        try request(parameters, inputs: inputs, url: base.appendingPathComponent("v1").appendingPathComponent(parameters.mode.rawValue))
    }

    private func request(_ parameters: GenerationParameters, inputs: GenerationInputs, url: URL) throws(APIError) -> HTTPRequest {
        var object: [String: Any] = ["model": parameters.model, "resolution": parameters.resolution.description]
        if !parameters.prompt.isEmpty { object["prompt"] = parameters.prompt }
        let audioDriven = catalog.modeRule(parameters.mode)?.durationFromAudio == true
        if !audioDriven {
            // `auto` travels as an explicit null: the service picks the length.
            object["duration"] = parameters.duration.map { $0 as Any } ?? NSNull()
            object["fps"] = parameters.fps
        }
        if let value = parameters.generateAudio, parameters.mode != .audioToVideo { object["generate_audio"] = value }
        if let value = parameters.cameraMotion { object["camera_motion"] = value }
        if let value = parameters.guidanceScale { object["guidance_scale"] = value }
        for (key, input) in [("image_uri", inputs.image), ("audio_uri", inputs.audio), ("last_frame_uri", inputs.lastFrame)] {
            switch input {
            case .url(let link)?, .uri(let link)?: object[key] = link
            case .file(let path, _)?: throw .rejectedLocally("\(path): a local file must be uploaded before an ltx-v2 request")
            case nil: break
            }
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        let object = try json(response)
        guard let id = object["id"] as? String, !id.isEmpty else { throw .malformedResponse("HTTP \(response.status) answer carries no job id") }
        return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: String(decoding: response.body, as: UTF8.self))
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) -> HTTPRequest {
        HTTPRequest(method: "GET", url: base.appendingPathComponent("v2").appendingPathComponent(mode.rawValue).appendingPathComponent(id),
                    headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        let object = try json(response)
        let body = String(decoding: response.body, as: UTF8.self)
        switch (object["status"] as? String)?.lowercased() {
        case "completed":
            guard let result = object["result"] as? [String: Any], let link = result["video_url"] as? String else {
                throw .malformedResponse("job \(id) completed without result.video_url")
            }
            return GenerationStatus(id: id, state: .completed, videoURL: link, requestID: response.requestID, responseBody: body)
        case "failed":
            let error = object["error"] as? [String: Any]
            let message = [error?["type"] as? String, error?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
            return GenerationStatus(id: id, state: .failed, failure: message.isEmpty ? "no reason given" : message, requestID: response.requestID, responseBody: body)
        case "pending":
            return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body)
        case "processing":
            return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body)
        default:
            throw .malformedResponse("job \(id) has an unknown status")
        }
    }

    public func error(for response: HTTPResponse) -> APIError {
        let detail = errorDetail(response)
        let type = detail.type ?? ""
        let message = type.isEmpty ? detail.message : "\(type): \(detail.message)"
        switch (response.status, type) {
        case (_, "insufficient_funds_error"), (402, _): return .insufficientCredits(message)
        case (_, "content_filtered_error"): return .contentFiltered(message)
        case (401, _), (_, "authentication_error"): return .unauthorized("\(message); check \(dialectName.keyVariable)")
        case (404, _): return .notFound(message)
        case (413, _): return .fileTooLarge(message)
        case (429, _), (500...599, _): return .unavailable("HTTP \(response.status): \(message)")
        default: return .invalidRequest(message)
        }
    }

    private func json(_ response: HTTPResponse) throws(APIError) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        return object
    }
}
