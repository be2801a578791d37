import Foundation
import Hummingbird
import LTXMedia

/// The `generations` dialect of ltx-2-api-reference.md:
/// `POST /v1/generations/{mode}` → 200 job, `GET /v1/generations/{id}` → job, errors `{"error":{"type","message"}}`.
///
/// It owns everything under `/v1` that the ltx-v2 dialect does not claim first.
struct GenerationsDialect: PrefixedDialect {
    static let prefix = "/v1"

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.count == 3, segments[0] == "v1", segments[1] == "generations" {
            if method == .post { return .submit }
            if method == .get { return .poll }
        }
        return .other
    }

    func errorResponse(_ error: SimulatorError) -> Response {
        let body = ErrorEnvelope(error: .init(type: error.kind.generationsType, message: error.message))
        let fallback = Response(status: error.status, headers: error.headers)
        return (try? WireJSON.response(body, status: error.status, headers: error.headers)) ?? fallback
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        // One parameter name for both: the router refuses two names for the same path segment.
        router.post("/v1/generations/:segment") { request, context -> Response in
            try await submit(request, mode: context.parameters.get("segment") ?? "", environment: environment)
        }
        router.get("/v1/generations/:segment") { _, context -> Response in
            try await poll(id: context.parameters.get("segment") ?? "", environment: environment)
        }
    }

    private func submit(_ request: Request, mode name: String, environment: SimulatorEnvironment) async throws -> Response {
        guard let mode = GenerationMode(rawValue: name) else {
            throw SimulatorError(
                .notFound,
                "unknown generation mode \"\(name)\"; use \(GenerationMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let body = try await RequestBodyReader.collect(request)
        let form = try SubmissionForm.parse(contentType: request.headers[.contentType], body: body)
        let spec = try GenerationRules.reference.validate(form, mode: mode)
        let now = environment.clock.now()
        let acceptance = try await environment.state.accept(
            spec, at: now, inputAudio: spec.audioBytes.flatMap(InputAudioTrack.init), startImage: spec.imageBytes.map(StartImage.init))
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        let origin = await environment.state.origin
        let response = try WireJSON.response(JobBody(acceptance.job, spec: spec, at: now, origin: origin))
        guard acceptance.dropConnection else { return response }
        // Accepted and charged, but the client never gets the body: headers promise one, then the connection drops.
        return Response(status: .ok, headers: response.headers, body: ResponseBody(contentLength: response.body.contentLength) { _ in
            throw SimulatedConnectionDrop(fault: "resetAfterSubmit")
        })
    }

    private func poll(id: String, environment: SimulatorEnvironment) async throws -> Response {
        try await environment.clock.sleep(seconds: await environment.state.pollDelay())
        guard let job = await environment.state.job(id), let spec = job.spec else {
            throw SimulatorError(.notFound, "generation \(id) not found; check the id returned by the submit")
        }
        let origin = await environment.state.origin
        return try WireJSON.response(JobBody(job, spec: spec, at: environment.clock.now(), origin: origin))
    }
}

/// `{"error":{"type","message"}}`.
private struct ErrorEnvelope: Encodable {
    struct Detail: Encodable {
        let type: String
        let message: String
    }

    let error: Detail
}

/// A job as the generations dialect shows it.
private struct JobBody: Encodable {
    struct Failure: Encodable {
        let type: String
        let message: String
    }

    let id: String
    let status: String
    let model: String
    let resolution: String
    let duration: Int
    let fps: Int
    let cost: Double
    let createdAt: String
    let videoURL: String?
    let error: Failure?

    init(_ job: SimulatedJob, spec: GenerationSpec, at now: Double, origin: String) {
        let status = job.status(at: now)
        id = job.id
        self.status = status.rawValue
        model = spec.model.rawValue
        resolution = spec.resolution.rawValue
        duration = spec.duration
        fps = spec.fps
        cost = job.cost
        createdAt = job.createdAt.formatted(.iso8601)
        videoURL = status == .completed ? "\(origin)/files/\(job.id).mp4" : nil
        if status == .failed, case .failure(let message, let cause) = job.outcome {
            error = Failure(type: cause == .contentFilter ? "content_filtered" : "generation_failed", message: message)
        } else {
            error = nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, model, resolution, duration, fps, cost, error
        case createdAt = "created_at"
        case videoURL = "video_url"
    }
}
