import HTTPTypes
import Hummingbird
import Logging

/// The front door every request passes: request id, stats, then for API paths authentication, the rate limits
/// and the error-burst fault; errors become the error bodies of the dialect that owns the path.
struct SimulatorGateway: RouterMiddleware {
    typealias Context = BasicRequestContext

    let dialects: SimulatorDialects
    let environment: SimulatorEnvironment
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = Identifiers.make("req")
        let dialect = dialects.dialect(for: Self.normalized(request.uri.path))
        var response: Response
        do {
            response = try await gate(request, dialect: dialect, context: context, next: next)
        } catch let error as SimulatorError {
            response = dialect.errorResponse(error)
        } catch let error as HTTPError {
            response = dialect.errorResponse(Self.translate(error, request))
        } catch {
            response = dialect.errorResponse(SimulatorError(.serverError, "internal simulator error: \(error)"))
        }
        if let name = HTTPField.Name("x-request-id") {
            response.headers[name] = requestID
        }
        logger.info("\(request.method) \(request.uri.path) -> \(response.status.code) \(requestID)")
        return response
    }

    private func gate(
        _ request: Request, dialect: any SimulatorDialect, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The router ignores empty segments ("//v1/x" reaches the /v1 routes), so the gate must too.
        let path = Self.normalized(request.uri.path)
        let state = environment.state
        let kind = dialect.endpoint(method: request.method, path: path)
        if kind != .control { await state.recordRequest(kind) }
        if kind == .download || path.hasPrefix("/files/"), request.headers[.authorization] != nil {
            await state.recordAuthorizationOnDownload()
        }
        guard SimulatorDialects.isAPIPath(path) else {
            return try await next(request, context)
        }
        guard Self.isAuthorized(request.headers[.authorization], key: environment.configuration.apiKey) else {
            await state.recordUnauthorized()
            throw SimulatorError.unauthorized
        }
        if case .limited(let retryAfter, let reason, let limit) = await state.admit(at: environment.clock.now()) {
            let kind: SimulatorError.Kind = limit == .concurrency ? .concurrencyLimited : .rateLimited
            throw SimulatorError.retryLater(kind, "rate limited: \(reason)", after: retryAfter)
        }
        do {
            if let burst = await state.takeErrorBurst() { throw Self.error(for: burst) }
            let response = try await next(request, context)
            await state.release()
            return response
        } catch {
            await state.release()
            throw error
        }
    }

    /// The answer one request of an error burst gets.
    static func error(for burst: FaultPlan.ErrorBurst) -> SimulatorError {
        switch burst.status {
        case .serverError:
            return SimulatorError(.serverError, "internal server error (simulated fault); wait and retry")
        case .unavailable:
            return SimulatorError.retryLater(
                .unavailable, "service unavailable (simulated fault); retry after \(burst.retryAfter) s", after: burst.retryAfter)
        case .gatewayTimeout:
            return SimulatorError(.gatewayTimeout, "gateway timeout (simulated fault); wait and retry")
        case .overloaded:
            return SimulatorError.retryLater(
                .overloaded, "the service is overloaded (simulated fault); retry after \(burst.retryAfter) s", after: burst.retryAfter)
        }
    }

    /// `path` with empty segments removed: `//v1//generations/` → `/v1/generations`.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// `Bearer <key>` with the configured key (scheme case-insensitive, key compared in constant time).
    static func isAuthorized(_ header: String?, key: String) -> Bool {
        guard let header else { return false }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == "bearer" else { return false }
        let token = Array(trimmed[space...].trimmingCharacters(in: .whitespaces).utf8)
        let expected = Array(key.utf8)
        guard token.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(token, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// Hummingbird's own errors (no route, bad request) in the simulator's vocabulary.
    static func translate(_ error: HTTPError, _ request: Request) -> SimulatorError {
        switch error.status.code {
        case 404, 405:
            return SimulatorError(.notFound, "no endpoint \(request.method) \(request.uri.path)")
        case 413:
            return SimulatorError(.fileTooLarge, error.body ?? "request body too large")
        case 400..<500:
            return .invalid(error.body ?? "bad request (\(error.status.code))")
        default:
            return SimulatorError(.serverError, error.body ?? "internal simulator error (\(error.status.code))")
        }
    }
}
