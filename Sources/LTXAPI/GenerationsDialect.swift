import Foundation

/// The wire protocol of the API reference: `POST {base}/generations/{mode}`, `GET {base}/generations/{id}`,
/// JSON or multipart bodies, `{"id","status","video_url","cost"}` responses.
public struct GenerationsDialect: Dialect {
    /// `generations`.
    public let dialectName = DialectName.generations
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The reference's catalog.
    public let catalog: Catalog
    /// The reference's error table.
    public let retryPolicy: RetryPolicy

    /// The dialect with its built-in catalog and error table.
    public init(catalog: Catalog = .generations, retryPolicy: RetryPolicy = .generations) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        let url = base.appendingPathComponent("generations").appendingPathComponent(parameters.mode.rawValue)
        guard let duration = parameters.duration else {
            throw .rejectedLocally("duration auto cannot be sent in the generations protocol; give a length in seconds")
        }
        var fields: [(String, String)] = [
            ("prompt", parameters.prompt), ("model", parameters.model), ("resolution", parameters.resolution.description),
            ("duration", String(duration)), ("fps", String(parameters.fps)),
        ]
        if let seed = parameters.seed { fields.append(("seed", String(seed))) }
        var files: [MultipartPart] = []
        for (role, input) in [("image", inputs.image), ("audio", inputs.audio)] {
            switch input {
            case .url(let link)?, .uri(let link)?: fields.append((role, link))
            case .file(let path, let contentType)?:
                files.append(.file(name: role, path: path, filename: URL(fileURLWithPath: path).lastPathComponent, contentType: contentType))
            case nil: break
            }
        }
        let headers = [("Accept", "application/json")]
        if !files.isEmpty {
            return HTTPRequest(method: "POST", url: url, headers: headers, body: .multipart(fields.map { .field(name: $0.0, value: $0.1) } + files))
        }
        var object: [String: Any] = [:]
        for (key, value) in fields {
            if ["duration", "fps", "seed"].contains(key), let number = Int(value) { object[key] = number } else { object[key] = value }
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return HTTPRequest(method: "POST", url: url, headers: headers, body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        try decodeStatus(response, id: nil)
    }

    public func pollRequest(id: String, mode: GenerationMode, base: URL) -> HTTPRequest {
        HTTPRequest(method: "GET", url: base.appendingPathComponent("generations").appendingPathComponent(id), headers: [("Accept", "application/json")])
    }

    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        try decodeStatus(response, id: id)
    }

    public func error(for response: HTTPResponse) -> APIError {
        let detail = errorDetail(response)
        switch response.status {
        case 401: return .unauthorized("\(detail.message); check \(dialectName.keyVariable)")
        case 402: return .insufficientCredits(detail.message)
        case 404: return .notFound(detail.message)
        case 413: return .fileTooLarge(detail.message)
        case 422: return .unsupportedFile(detail.message)
        case 429, 500...599: return .unavailable("HTTP \(response.status): \(detail.message)")
        default: return .invalidRequest(detail.message)
        }
    }

    private func decodeStatus(_ response: HTTPResponse, id expected: String?) throws(APIError) -> GenerationStatus {
        let body = String(decoding: response.body, as: UTF8.self)
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("HTTP \(response.status) body is not a JSON object")
        }
        guard let id = (object["id"] as? String) ?? expected else { throw .malformedResponse("response has no generation id") }
        let stateText = (object["status"] as? String)?.lowercased() ?? "processing"
        let state: GenerationStatus.State
        switch stateText {
        case "completed", "succeeded", "success": state = .completed
        case "failed", "error", "cancelled", "canceled": state = .failed
        case "pending", "queued": state = .pending
        default: state = .processing
        }
        var failure: String? = nil
        if let error = object["error"] as? [String: Any] { failure = error["message"] as? String } else { failure = object["error"] as? String }
        let cost = (object["cost"] as? Double) ?? (object["cost"] as? NSNumber)?.doubleValue
        let status = GenerationStatus(
            id: id, state: state, videoURL: object["video_url"] as? String, cost: cost,
            failure: state == .failed ? (failure ?? "no reason given") : nil, requestID: response.requestID, responseBody: body
        )
        if state == .completed && status.videoURL == nil { throw .malformedResponse("generation \(id) completed without a video_url") }
        return status
    }
}
