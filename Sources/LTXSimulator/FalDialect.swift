import Foundation
import Hummingbird
import LTXMedia

/// fal's queue API (providers.md), served under `/fal` in place of `https://queue.fal.run`:
/// `POST /fal/{model_id}` → `{request_id, response_url, status_url, cancel_url}`; `GET {status_url}` answers 202 with
/// `IN_QUEUE` or `IN_PROGRESS` and 200 with `COMPLETED`; `GET {response_url}` gives `{"video":{"url",...}}` or, for a
/// failed request, an error status with a `detail` body. Authentication is `Authorization: Key <key>`.
struct FalDialect: PrefixedDialect {
    static let prefix = "/fal"

    var rules: FalRules = .standard

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        let segments = path.split(separator: "/").map(String.init)
        if method == .post { return .submit }
        if method == .get, segments.last == "status", segments.count >= 2, segments[segments.count - 3] == "requests" { return .poll }
        return .other
    }

    /// `{"detail": "..."}`, or for validation (422) FastAPI's `{"detail": [{"loc", "msg", "type"}]}`.
    func errorResponse(_ error: SimulatorError) -> Response {
        let status: HTTPResponse.Status
        switch error.kind {
        case .invalidRequest, .unsupportedFormat: status = .unprocessableContent
        default: status = error.status
        }
        let body: FalError
        if status == .unprocessableContent, error.kind != .contentFiltered {
            let parts = error.message.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let field = parts.count == 2 ? parts[0] : "body"
            body = .validation([FalError.Item(loc: field == "body" ? ["body"] : ["body", field], msg: parts.last ?? error.message)])
        } else {
            body = .text(error.message)
        }
        return (try? WireJSON.response(body, status: status, headers: error.headers)) ?? Response(status: status)
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        for model in rules.models {
            router.post("\(Self.prefix)/\(model.id)") { request, _ -> Response in
                try await submit(request, model: model, environment: environment)
            }
        }
        for app in rules.apps {
            router.get("\(Self.prefix)/\(app)/requests/:id/status") { request, context -> Response in
                try await status(request, id: context.parameters.get("id") ?? "", app: app, environment: environment)
            }
            router.get("\(Self.prefix)/\(app)/requests/:id") { request, context -> Response in
                try await result(request, id: context.parameters.get("id") ?? "", app: app, environment: environment)
            }
        }
    }

    /// `Key <key>` (scheme case-insensitive, key compared in constant time), counted as unauthorized otherwise.
    private func authenticate(_ request: Request, environment: SimulatorEnvironment) async throws {
        let header = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces) ?? ""
        var authorized = false
        if let space = header.firstIndex(of: " "), header[..<space].lowercased() == "key" {
            let token = Array(header[space...].trimmingCharacters(in: .whitespaces).utf8)
            let expected = Array(environment.configuration.apiKey.utf8)
            if token.count == expected.count {
                var difference: UInt8 = 0
                for (a, b) in zip(token, expected) { difference |= a ^ b }
                authorized = difference == 0
            }
        }
        guard authorized else {
            await environment.state.recordUnauthorized()
            throw SimulatorError(.unauthorized, "No valid credentials: send Authorization: Key <FAL_KEY>")
        }
        // The error-burst fault, as the gateway applies it on the other API paths (fal's key scheme is its own).
        if let burst = await environment.state.takeErrorBurst() { throw SimulatorGateway.error(for: burst) }
    }

    private func submit(_ request: Request, model: FalRules.Model, environment: SimulatorEnvironment) async throws -> Response {
        try await authenticate(request, environment: environment)
        let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "request body is larger than 20 MB")
        let spec = try rules.parse(body, model: model)
        let startImage = spec.imageBytes.map(StartImage.init)
        let now = environment.clock.now()
        let acceptance = try await environment.state.acceptFal(spec, at: now, startImage: startImage)
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        let origin = await environment.state.origin
        let base = "\(origin)\(Self.prefix)/\(model.app)/requests/\(acceptance.job.id)"
        return try WireJSON.response(FalQueued(requestID: acceptance.job.id, responseURL: base, statusURL: base + "/status", cancelURL: base + "/cancel"))
    }

    private func job(_ id: String, app: String, environment: SimulatorEnvironment, at now: Double) async throws -> SimulatedJob {
        guard let job = await environment.state.job(id), let spec = job.falSpec, spec.model.app == app else {
            throw SimulatorError(.notFound, "Request \(id) not found")
        }
        if job.isExpired(at: now, lifetime: environment.configuration.jobLifetime) {
            throw SimulatorError(.notFound, "Request \(id) has expired")
        }
        return job
    }

    private func status(_ request: Request, id: String, app: String, environment: SimulatorEnvironment) async throws -> Response {
        try await authenticate(request, environment: environment)
        try await environment.clock.sleep(seconds: await environment.state.pollDelay())
        let now = environment.clock.now()
        let job = try await job(id, app: app, environment: environment, at: now)
        let origin = await environment.state.origin
        let responseURL = "\(origin)\(Self.prefix)/\(app)/requests/\(id)"
        switch job.v2Status(at: now) {
        case .pending:
            return try WireJSON.response(FalStatus(status: "IN_QUEUE", queuePosition: 0, responseURL: responseURL), status: .accepted)
        case .processing:
            return try WireJSON.response(FalStatus(status: "IN_PROGRESS", queuePosition: nil, responseURL: responseURL), status: .accepted)
        case .completed, .failed:
            return try WireJSON.response(FalStatus(status: "COMPLETED", queuePosition: nil, responseURL: responseURL))
        }
    }

    private func result(_ request: Request, id: String, app: String, environment: SimulatorEnvironment) async throws -> Response {
        try await authenticate(request, environment: environment)
        let now = environment.clock.now()
        let job = try await job(id, app: app, environment: environment, at: now)
        switch job.status(at: now) {
        case .processing:
            return try WireJSON.response(FalError.text("Request is still in progress"), status: .badRequest)
        case .failed:
            let cause = job.outcome.failureCause
            throw SimulatorError(cause == .contentFilter ? .contentFiltered : .serverError, job.outcome.failureMessage ?? "the generation failed")
        case .completed:
            let origin = await environment.state.origin
            return try WireJSON.response(FalResult(video: .init(url: "\(origin)/files/\(id).mp4", contentType: "video/mp4", fileName: "\(id).mp4")))
        }
    }
}

/// The answer to a fal submit.
private struct FalQueued: Encodable {
    let requestID: String
    let responseURL: String
    let statusURL: String
    let cancelURL: String

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", responseURL = "response_url", statusURL = "status_url", cancelURL = "cancel_url"
    }
}

/// A fal status answer.
private struct FalStatus: Encodable {
    let status: String
    let queuePosition: Int?
    let responseURL: String

    enum CodingKeys: String, CodingKey {
        case status, queuePosition = "queue_position", responseURL = "response_url"
    }
}

/// A fal LTX video result.
private struct FalResult: Encodable {
    struct Video: Encodable {
        let url: String
        let contentType: String
        let fileName: String

        enum CodingKeys: String, CodingKey {
            case url, contentType = "content_type", fileName = "file_name"
        }
    }

    let video: Video
}

/// fal's error bodies.
private enum FalError: Encodable {
    struct Item: Encodable {
        let loc: [String]
        let msg: String
        var type = "value_error"
    }

    case text(String)
    case validation([Item])

    enum CodingKeys: String, CodingKey { case detail }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text): try container.encode(text, forKey: .detail)
        case .validation(let items): try container.encode(items, forKey: .detail)
        }
    }
}
