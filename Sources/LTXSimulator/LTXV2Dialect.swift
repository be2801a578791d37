import Foundation
import Hummingbird
import LTXMedia

/// The `ltx-v2` dialect of ltx-api-v2-facts.md, served from the origin (no `/v1` base):
/// `POST /v2/{mode}` → 202 `{id, created_at}`, `GET /v2/{mode}/{id}`, the synchronous `POST /v1/{mode}` (MP4 bytes),
/// `POST /v1/upload` and the `PUT /_uploads/<token>` targets it hands out. Errors are
/// `{"type":"error","error":{"type","message"}}`.
struct LTXV2Dialect: SimulatorDialect {
    /// Where upload URLs point (not under `/v1`: no authentication, no rate limit).
    static let uploadPrefix = "/_uploads"

    var rules: V2Rules = .standard

    var basePath: String { "" }

    func owns(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return false }
        switch first {
        case "v2", "_uploads":
            return true
        case "v1":
            return segments.count == 2 && (segments[1] == "upload" || GenerationMode(rawValue: String(segments[1])) != nil)
        default:
            return false
        }
    }

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let isMode = segments.count >= 2 && GenerationMode(rawValue: segments[1]) != nil
        switch (segments.first, segments.count, method) {
        case ("v2"?, 2, .post) where isMode: return .submit
        case ("v2"?, 3, .get) where isMode: return .poll
        case ("v1"?, 2, .post) where isMode: return .submit
        case ("_uploads"?, 2, .put): return .upload
        default: return .other
        }
    }

    func errorResponse(_ error: SimulatorError) -> Response {
        let (status, type) = Self.wire(error.kind)
        let body = V2ErrorEnvelope(error: .init(type: type, message: error.message))
        let fallback = Response(status: status, headers: error.headers)
        return (try? WireJSON.response(body, status: status, headers: error.headers)) ?? fallback
    }

    /// The status and machine type of an error in this dialect. Formats are 400 here: 422 is the safety filter.
    static func wire(_ kind: SimulatorError.Kind) -> (HTTPResponse.Status, String) {
        switch kind {
        case .invalidRequest, .unsupportedFormat: return (.badRequest, "invalid_request_error")
        case .unauthorized: return (.unauthorized, "authentication_error")
        case .insufficientCredits: return (kind.status, "insufficient_funds_error")
        case .notFound: return (.notFound, "not_found_error")
        case .fileTooLarge: return (.contentTooLarge, "request_too_large")
        case .rangeNotSatisfiable: return (.rangeNotSatisfiable, "invalid_request_error")
        case .rateLimited, .concurrencyLimited: return (.tooManyRequests, "rate_limit_error")
        case .generationsLimited: return (.tooManyRequests, "concurrency_limit_error")
        case .contentFiltered: return (.unprocessableContent, "content_filtered_error")
        case .unavailable: return (.serviceUnavailable, "service_unavailable")
        case .serverError, .gatewayTimeout: return (kind.status, "api_error")
        case .overloaded: return (kind.status, "overloaded_error")
        }
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        for mode in GenerationMode.allCases {
            router.post("/v2/\(mode.rawValue)") { request, _ -> Response in
                try await submit(request, mode: mode, environment: environment)
            }
            router.get("/v2/\(mode.rawValue)/:id") { _, context -> Response in
                try await poll(id: context.parameters.get("id") ?? "", mode: mode, environment: environment)
            }
            router.post("/v1/\(mode.rawValue)") { request, _ -> Response in
                try await sync(request, mode: mode, environment: environment)
            }
        }
        V2UploadRoutes(rules: rules).add(to: router, environment: environment)
    }

    // MARK: Handlers

    /// Validates, resolves the inputs and accepts (charges) a submit.
    private func accept(
        _ request: Request, mode: GenerationMode, sync: Bool, environment: SimulatorEnvironment
    ) async throws -> SimulatorState.Acceptance {
        if await environment.state.takeProxyTooLarge() {
            // Read and dropped, so the connection stays usable for the client's next request.
            _ = try? await RequestBodyReader.collect(request, limit: rules.maxSubmitBodyBytes, tooLarge: "")
            throw ProxyTooLarge()
        }
        let body = try await RequestBodyReader.collect(
            request, limit: rules.maxSubmitBodyBytes,
            tooLarge: "request body is larger than \(rules.maxSubmitBodyBytes) bytes; upload big inputs with POST /v1/upload and pass the storage_uri")
        let parsed = try rules.parse(body, contentType: request.headers[.contentType], mode: mode)
        let spec = try await V2InputResolver(rules: rules, environment: environment).resolve(parsed)
        // Parsed here, off the state actor: the soundtrack an audio-to-video job carries through (WAV or MP3).
        let inputAudio = spec.audioBytes.flatMap(InputAudioTrack.init)
        let startImage = spec.imageBytes.map(StartImage.init)
        let now = environment.clock.now()
        let acceptance = try await environment.state.acceptV2(
            spec, sync: sync, at: now, createdAt: environment.clock.date(at: now), inputAudio: inputAudio, startImage: startImage)
        if environment.configuration.renderOnAccept, let pattern = acceptance.job.pattern {
            environment.renderer.prefetch(pattern, content: acceptance.job.content, in: environment.cacheDirectory)
        }
        return acceptance
    }

    private func submit(_ request: Request, mode: GenerationMode, environment: SimulatorEnvironment) async throws -> Response {
        let acceptance: SimulatorState.Acceptance
        do {
            acceptance = try await accept(request, mode: mode, sync: false, environment: environment)
        } catch is ProxyTooLarge {
            return ProxyTooLarge.response
        }
        let job = acceptance.job
        let response = try WireJSON.response(
            V2AcceptedBody(id: job.id, createdAt: job.createdAt.formatted(.iso8601)), status: .accepted)
        guard acceptance.dropConnection else { return response }
        // Accepted and charged, but the client never gets the body: headers promise one, then the connection drops.
        return Response(status: .accepted, headers: response.headers, body: ResponseBody(contentLength: response.body.contentLength) { _ in
            throw SimulatedConnectionDrop(fault: "resetAfterSubmit")
        })
    }

    private func poll(id: String, mode: GenerationMode, environment: SimulatorEnvironment) async throws -> Response {
        try await environment.clock.sleep(seconds: await environment.state.pollDelay())
        let now = environment.clock.now()
        guard let job = await environment.state.job(id), let spec = job.v2Spec, spec.mode == mode else {
            throw SimulatorError(.notFound, "no \(mode.rawValue) job \(id); check the id and the mode it was submitted with")
        }
        if job.isExpired(at: now, lifetime: environment.configuration.jobLifetime) {
            await environment.state.recordExpiredPoll()
            throw SimulatorError(.notFound, "job \(id) has expired: status and results are kept 24 h after completion")
        }
        let origin = await environment.state.origin
        return try WireJSON.response(V2JobBody(job, at: now, completedAt: environment.clock.date(at: job.readyAt), origin: origin))
    }

    /// `POST /v1/{mode}`: accepted and charged at once, answered with the MP4 bytes once the job's latency has passed.
    private func sync(_ request: Request, mode: GenerationMode, environment: SimulatorEnvironment) async throws -> Response {
        let acceptance: SimulatorState.Acceptance
        do {
            acceptance = try await accept(request, mode: mode, sync: true, environment: environment)
        } catch is ProxyTooLarge {
            return ProxyTooLarge.response
        }
        let job = acceptance.job
        let headers: HTTPFields = [.contentType: "application/octet-stream"]
        if acceptance.dropConnection {
            return Response(status: .ok, headers: headers, body: ResponseBody { _ in
                throw SimulatedConnectionDrop(fault: "resetAfterSubmit")
            })
        }
        try await environment.clock.sleep(seconds: job.readyAt - environment.clock.now())
        guard let pattern = job.pattern else {
            let message: String
            if case .failure(let text, let cause) = job.outcome {
                throw SimulatorError(cause == .contentFilter ? .contentFiltered : .serverError, text)
            }
            message = "the generation failed"
            throw SimulatorError(.serverError, message)
        }
        let path: String
        do {
            path = try await environment.renderer.file(for: pattern, content: job.content, in: environment.cacheDirectory)
        } catch {
            throw SimulatorError(.serverError, "could not render the video for \(job.id): \(error)")
        }
        let size = try DownloadRoute.size(of: path, id: job.id)
        let truncate = await environment.state.takeTruncatedDownload()
        return Response(status: .ok, headers: headers, body: DownloadRoute.fileBody(path: path, range: 0...(size - 1), truncate: truncate))
    }
}

/// The `proxyTooLarge` fault: the proxy in front of the API refuses the body with its own HTML page, not the API's JSON.
private struct ProxyTooLarge: Error {
    static var response: Response {
        let page = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return Response(
            status: .contentTooLarge, headers: [.contentType: "text/html"], body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }
}
