import Foundation
import Hummingbird
import LTXMedia

/// Replicate's predictions API (providers.md), served under `/replicate` in place of `https://api.replicate.com`:
/// `GET /replicate/v1/models/{owner}/{name}` → the model with its OpenAPI input schema; `POST
/// /replicate/v1/models/{owner}/{name}/predictions` with `{"input":{...}}` → 201 and a prediction; `GET
/// /replicate/v1/predictions/{id}` → `starting`, `processing`, then `succeeded` with `output` one URL string or
/// `failed` with `error` a string. Authentication (`Bearer`), the rate limits and the error bursts are the gateway's.
///
/// Outputs are deleted one hour of simulated time after a prediction ends (Replicate's retention,
/// `replicateOutputLifetime`): the file answers
/// 404 and the prediction reads `output: null` from then on (what Replicate's GET answers for a deleted prediction is
/// not documented; this is the simulator's reading).
struct ReplicateDialect: PrefixedDialect {
    static let prefix = "/replicate"

    var rules: ReplicateRules = .standard

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        let segments = path.split(separator: "/").map(String.init)
        if method == .post, segments.last == "predictions" { return .submit }
        if method == .get, segments.count == 4, segments[2] == "predictions" { return .poll }
        return .other
    }

    /// `{"detail": "...", "status": N}`.
    func errorResponse(_ error: SimulatorError) -> Response {
        let body = ReplicateError(detail: error.message, status: Int(error.status.code))
        return (try? WireJSON.response(body, status: error.status, headers: error.headers)) ?? Response(status: error.status)
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        router.get("\(Self.prefix)/v1/models/:owner/:name") { _, context -> Response in
            let model = try model(context)
            return try WireJSON.response(rules.schema(model))
        }
        router.post("\(Self.prefix)/v1/models/:owner/:name/predictions") { request, context -> Response in
            try await submit(request, model: try model(context), environment: environment)
        }
        router.get("\(Self.prefix)/v1/predictions/:id") { _, context -> Response in
            try await prediction(context.parameters.get("id") ?? "", environment: environment)
        }
    }

    private func model(_ context: BasicRequestContext) throws -> ReplicateRules.Model {
        let owner = context.parameters.get("owner") ?? "", name = context.parameters.get("name") ?? ""
        guard let model = rules.model(owner: owner, name: name) else {
            throw SimulatorError(.notFound, "Model \(owner)/\(name) not found")
        }
        return model
    }

    private func submit(_ request: Request, model: ReplicateRules.Model, environment: SimulatorEnvironment) async throws -> Response {
        let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "request body is larger than 20 MB")
        let spec = try rules.parse(body, model: model)
        let now = environment.clock.now()
        let acceptance = try await environment.state.acceptReplicate(
            spec, at: now, createdAt: environment.clock.date(at: now), startImage: spec.imageBytes.map(StartImage.init))
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        return try WireJSON.response(await predictionBody(of: acceptance.job, at: now, environment: environment), status: .created)
    }

    private func prediction(_ id: String, environment: SimulatorEnvironment) async throws -> Response {
        try await environment.clock.sleep(seconds: await environment.state.pollDelay())
        let now = environment.clock.now()
        guard let job = await environment.state.job(id), job.replicateSpec != nil else {
            throw SimulatorError(.notFound, "Prediction \(id) not found")
        }
        return try WireJSON.response(await predictionBody(of: job, at: now, environment: environment))
    }

    private func predictionBody(of job: SimulatedJob, at now: Double, environment: SimulatorEnvironment) async -> ReplicatePrediction {
        let origin = await environment.state.origin
        let get = "\(origin)\(Self.prefix)/v1/predictions/\(job.id)"
        let spec = job.replicateSpec
        let expired = job.isExpired(at: now, lifetime: environment.configuration.jobLifetime, replicateLifetime: environment.configuration.replicateOutputLifetime)
        var prediction = ReplicatePrediction(
            id: job.id, model: spec?.model.name ?? "", status: "starting", output: nil, error: nil,
            createdAt: job.createdAt.formatted(.iso8601), completedAt: nil,
            urls: ["get": get, "cancel": get + "/cancel"])
        switch job.v2Status(at: now) {
        case .pending: prediction.status = "starting"
        case .processing: prediction.status = "processing"
        case .completed:
            prediction.status = "succeeded"
            prediction.output = expired ? nil : "\(origin)/files/\(job.id).mp4"
            prediction.completedAt = environment.clock.date(at: job.readyAt).formatted(.iso8601)
        case .failed:
            prediction.status = "failed"
            prediction.error = job.outcome.failureMessage ?? "the prediction failed"
            prediction.completedAt = environment.clock.date(at: job.readyAt).formatted(.iso8601)
        }
        return prediction
    }
}

/// A Replicate prediction as the API answers it (the fields a client reads).
private struct ReplicatePrediction: Encodable {
    let id: String
    let model: String
    var status: String
    var output: String?
    var error: String?
    let createdAt: String
    var completedAt: String?
    let urls: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, model, status, output, error, urls, createdAt = "created_at", completedAt = "completed_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(model, forKey: .model)
        try container.encode(status, forKey: .status)
        try container.encode(output, forKey: .output)
        try container.encode(error, forKey: .error)
        try container.encode(urls, forKey: .urls)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(completedAt, forKey: .completedAt)
    }
}

/// Replicate's error body.
private struct ReplicateError: Encodable {
    let detail: String
    let status: Int
}
