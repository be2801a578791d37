import Foundation
import Hummingbird
import LTXMedia

/// WaveSpeed AI's v3 API (providers.md), served under `/wavespeed` in place of `https://api.wavespeed.ai`:
/// `POST /wavespeed/api/v3/{model-path}` → `{"code":200,"message":"success","data":{"id","status":"created","urls":{"get"}}}`;
/// `GET /wavespeed/api/v3/predictions/{id}/result` (and `…/{id}`) → `data.status` `created → processing → completed |
/// failed`, the video at `data.outputs[0]`; `POST /wavespeed/api/v3/media/upload/binary` (multipart `file`) →
/// `data.download_url`. Errors carry the same envelope with the status as `code`. Authentication (`Bearer`), the rate
/// limits and the error bursts are the gateway's. Beyond 2 concurrent tasks (Bronze) a task waits in the queue
/// (`created`) instead of being refused.
struct WaveSpeedDialect: PrefixedDialect {
    static let prefix = "/wavespeed"
    /// Where uploaded files are served (outside the authenticated API, like a CDN).
    static let mediaPath = "/wavespeed-media"

    var rules: WaveSpeedRules = .standard

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        if path.hasPrefix(Self.prefix + "/api/v3/media/") { return .upload }
        if method == .post { return .submit }
        if method == .get, path.hasPrefix(Self.prefix + "/api/v3/predictions/") { return .poll }
        return .other
    }

    /// `{"code": status, "message": "...", "data": null}` with the same HTTP status.
    func errorResponse(_ error: SimulatorError) -> Response {
        let body = WaveSpeedEnvelope<String>(code: Int(error.status.code), message: error.message, data: nil)
        return (try? WireJSON.response(body, status: error.status, headers: error.headers)) ?? Response(status: error.status)
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        for model in rules.models {
            router.post("\(Self.prefix)/api/v3/\(model.path)") { request, _ -> Response in
                try await submit(request, model: model, environment: environment)
            }
        }
        router.get("\(Self.prefix)/api/v3/predictions/:id/result") { _, context -> Response in
            try await result(context.parameters.get("id") ?? "", environment: environment)
        }
        router.get("\(Self.prefix)/api/v3/predictions/:id") { _, context -> Response in
            try await result(context.parameters.get("id") ?? "", environment: environment)
        }
        router.post("\(Self.prefix)/api/v3/media/upload/binary") { request, _ -> Response in
            try await upload(request, environment: environment)
        }
        router.get("\(Self.mediaPath)/:id") { _, context -> Response in
            guard let bytes = await environment.state.media(context.parameters.get("id") ?? "") else {
                throw SimulatorError(.notFound, "no such file")
            }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    private func upload(_ request: Request, environment: SimulatorEnvironment) async throws -> Response {
        let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "images are limited to 20 MB")
        let parts: [MultipartPart]
        do {
            let boundary = try MultipartParser.boundary(fromContentType: request.headers[.contentType] ?? "")
            parts = try MultipartParser.parse(body, boundary: boundary)
        } catch {
            throw SimulatorError(.invalidRequest, "the upload must be multipart/form-data with a file field: \(error)")
        }
        guard let file = parts.first(where: { $0.name == "file" }), !file.body.isEmpty else {
            throw SimulatorError(.invalidRequest, "the upload has no file field")
        }
        let bytes = Array(file.body)
        let id = await environment.state.storeMedia(bytes)
        let origin = await environment.state.origin
        let data = WaveSpeedUpload(type: MediaSniffer.imageFormat(bytes) != nil ? "image" : "file", downloadURL: "\(origin)\(Self.mediaPath)/\(id)",
                                   filename: file.filename ?? "file", size: bytes.count)
        return try WireJSON.response(WaveSpeedEnvelope(code: 200, message: "success", data: data))
    }

    private func submit(_ request: Request, model: WaveSpeedRules.Model, environment: SimulatorEnvironment) async throws -> Response {
        let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "request body is larger than 20 MB")
        let state = environment.state
        let spec = try await rules.parse(body, model: model, media: { await state.media($0) })
        let now = environment.clock.now()
        let acceptance = try await state.acceptWaveSpeed(
            spec, at: now, createdAt: environment.clock.date(at: now), startImage: spec.imageBytes.map(StartImage.init))
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        return try WireJSON.response(WaveSpeedEnvelope(code: 200, message: "success", data: await task(acceptance.job, at: now, environment: environment)))
    }

    private func result(_ id: String, environment: SimulatorEnvironment) async throws -> Response {
        try await environment.clock.sleep(seconds: await environment.state.pollDelay())
        let now = environment.clock.now()
        guard let job = await environment.state.job(id), job.waveSpeedSpec != nil else {
            throw SimulatorError(.notFound, "task \(id) not found")
        }
        return try WireJSON.response(WaveSpeedEnvelope(code: 200, message: "success", data: await task(job, at: now, environment: environment)))
    }

    private func task(_ job: SimulatedJob, at now: Double, environment: SimulatorEnvironment) async -> WaveSpeedTask {
        let origin = await environment.state.origin
        var task = WaveSpeedTask(id: job.id, model: job.waveSpeedSpec?.model.path ?? "", status: "created", outputs: [], error: "",
                                 createdAt: job.createdAt.formatted(.iso8601), urls: ["get": "\(origin)\(Self.prefix)/api/v3/predictions/\(job.id)"])
        switch job.v2Status(at: now) {
        case .pending: task.status = "created"
        case .processing: task.status = "processing"
        case .completed:
            task.status = "completed"
            task.outputs = ["\(origin)/files/\(job.id).mp4"]
        case .failed:
            task.status = "failed"
            task.error = job.outcome.failureMessage ?? "the task failed"
        }
        return task
    }
}

/// The `{code, message, data}` envelope.
private struct WaveSpeedEnvelope<Payload: Encodable>: Encodable {
    let code: Int
    let message: String
    let data: Payload?

    enum CodingKeys: String, CodingKey { case code, message, data }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(data, forKey: .data)
    }
}

/// A task as `data`.
private struct WaveSpeedTask: Encodable {
    let id: String
    let model: String
    var status: String
    var outputs: [String]
    var error: String
    let createdAt: String
    let urls: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, model, status, outputs, error, urls, createdAt = "created_at"
    }
}

/// An upload's `data`.
private struct WaveSpeedUpload: Encodable {
    let type: String
    let downloadURL: String
    let filename: String
    let size: Int

    enum CodingKeys: String, CodingKey {
        case type, filename, size, downloadURL = "download_url"
    }
}
