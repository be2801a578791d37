import Foundation
import Hummingbird
import LTXMedia

/// APIFree's OpenAI-style video API (providers.md), served under `/apifree` in place of `https://api.apifree.ai`:
/// `POST /apifree/v1/videos` (JSON, or multipart with the `input_reference` file) → a task `{id, object: "video",
/// created_at, status, model, progress, seconds, size}`; `GET /apifree/v1/videos/{id}` → `queued`, `in_progress`, then
/// `completed` or `failed` (with the mirrored API's `error: {code, message}`); `GET /apifree/v1/videos/{id}/content` →
/// the MP4 (the OpenAI video API's download, which APIFree does not document). Every route, the file included, takes
/// the key (`Bearer`): authentication, limits and error bursts are the gateway's.
struct APIFreeDialect: PrefixedDialect {
    static let prefix = "/apifree"

    var rules: APIFreeRules = .standard

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        if method == .post, path == Self.prefix + "/v1/videos" { return .submit }
        if method == .get, path.hasPrefix(Self.prefix + "/v1/videos/") { return path.hasSuffix("/content") ? .download : .poll }
        return .other
    }

    /// The OpenAI-style `{"error": {"message", "type", "code"}}`.
    func errorResponse(_ error: SimulatorError) -> Response {
        let body = ["error": APIFreeError(message: error.message, type: error.kind.generationsType, code: Int(error.status.code))]
        return (try? WireJSON.response(body, status: error.status, headers: error.headers)) ?? Response(status: error.status)
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        router.post("\(Self.prefix)/v1/videos") { request, _ -> Response in
            try await submit(request, environment: environment)
        }
        router.get("\(Self.prefix)/v1/videos/:id") { _, context -> Response in
            let id = context.parameters.get("id") ?? ""
            try await environment.clock.sleep(seconds: await environment.state.pollDelay())
            let now = environment.clock.now()
            return try WireJSON.response(try await task(id, at: now, environment: environment))
        }
        router.get("\(Self.prefix)/v1/videos/:id/content") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard let job = await environment.state.job(id), job.apiFreeSpec != nil else {
                throw SimulatorError(.notFound, "No video found with id '\(id)'.")
            }
            return try await DownloadRoute.respond(request, name: "\(job.id).mp4", environment: environment)
        }
    }

    private func submit(_ request: Request, environment: SimulatorEnvironment) async throws -> Response {
        let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "request body is larger than 20 MB")
        var fields: [String: String] = [:]
        var image: [UInt8]?
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            let parts: [MultipartPart]
            do {
                parts = try MultipartParser.parse(body, boundary: try MultipartParser.boundary(fromContentType: contentType))
            } catch {
                throw SimulatorError(.invalidRequest, "the multipart body is malformed: \(error)")
            }
            for part in parts {
                if part.name == "input_reference" { image = Array(part.body) } else { fields[part.name] = String(decoding: part.body, as: UTF8.self) }
            }
        } else {
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
                throw SimulatorError(.invalidRequest, "We could not parse the JSON body of your request.")
            }
            for (name, value) in object {
                switch value {
                case .string(let text): fields[name] = text
                case .integer(let number): fields[name] = String(number)
                default: throw SimulatorError(.invalidRequest, "Invalid type for '\(name)'.")
                }
            }
        }
        let spec = try rules.parse(fields, image: image)
        let now = environment.clock.now()
        let acceptance = try await environment.state.acceptAPIFree(
            spec, at: now, createdAt: environment.clock.date(at: now), startImage: spec.imageBytes.map(StartImage.init))
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        return try WireJSON.response(try await task(acceptance.job.id, at: now, environment: environment))
    }

    private func task(_ id: String, at now: Double, environment: SimulatorEnvironment) async throws -> APIFreeTask {
        guard let job = await environment.state.job(id), let spec = job.apiFreeSpec else {
            throw SimulatorError(.notFound, "No video found with id '\(id)'.")
        }
        var task = APIFreeTask(id: job.id, createdAt: Int(job.createdAt.timeIntervalSince1970), status: "queued", model: spec.model,
                               progress: 0, seconds: String(spec.seconds), size: spec.size, error: nil)
        switch job.v2Status(at: now) {
        case .pending: task.status = "queued"
        case .processing:
            task.status = "in_progress"
            let span = max(job.readyAt - job.acceptedAt, 1e-9)
            task.progress = min(99, max(0, Int((now - job.acceptedAt) / span * 100)))
        case .completed:
            task.status = "completed"
            task.progress = 100
        case .failed:
            task.status = "failed"
            task.error = APIFreeError(message: job.outcome.failureMessage ?? "the generation failed", type: "generation_failed", code: nil)
        }
        return task
    }
}

/// A video task.
private struct APIFreeTask: Encodable {
    let id: String
    let object = "video"
    let createdAt: Int
    var status: String
    let model: String
    var progress: Int
    let seconds: String
    let size: String
    var error: APIFreeError?

    enum CodingKeys: String, CodingKey {
        case id, object, status, model, progress, seconds, size, error, createdAt = "created_at"
    }
}

/// The mirrored API's error object.
private struct APIFreeError: Encodable {
    let message: String
    let type: String
    let code: Int?
}
