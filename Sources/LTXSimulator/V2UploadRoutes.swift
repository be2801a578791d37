import Foundation
import HTTPTypes
import Hummingbird

/// The ltx-v2 upload flow: `POST /v1/upload` (an API call) hands out a `PUT` target under `/_uploads/<token>`, which
/// behaves like a cloud storage signed URL: no API key (one sent is refused and counted), the required headers plus
/// the file's own Content-Type, valid for ``SimulatorConfiguration/uploadURLLifetime``, plain-text errors, 200 or 201.
struct V2UploadRoutes: Sendable {
    /// The header carrying the upload's secret.
    static let tokenHeader = "x-ltx-upload-token"
    /// The most of a `POST /v1/upload` body read before refusing it (it takes none).
    static let ticketBodyLimit = 64 * 1024

    let rules: V2Rules

    func add(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        router.post("/v1/upload") { request, _ -> Response in
            try await issue(request, environment: environment)
        }
        router.put("\(LTXV2Dialect.uploadPrefix)/:token") { request, context -> Response in
            try await put(request, token: context.parameters.get("token") ?? "", environment: environment)
        }
    }

    private func issue(_ request: Request, environment: SimulatorEnvironment) async throws -> Response {
        let body = try await RequestBodyReader.collect(
            request, limit: Self.ticketBodyLimit,
            tooLarge: "POST /v1/upload takes no request body; PUT the file to the upload_url it returns")
        guard body.isEmpty else {
            throw SimulatorError.invalid(
                "POST /v1/upload takes no request body (got \(body.count) bytes); send nothing and PUT the file to the upload_url it returns")
        }
        let now = environment.clock.now()
        let entry = await environment.state.issueUpload(at: now)
        let origin = await environment.state.origin
        let expiry = environment.clock.date(at: now + environment.configuration.uploadURLLifetime)
        return try WireJSON.response(V2UploadTicket(
            uploadURL: "\(origin)\(LTXV2Dialect.uploadPrefix)/\(entry.token)",
            storageURI: "ltx://uploads/\(entry.id)",
            expiresAt: expiry.formatted(.iso8601),
            requiredHeaders: [Self.tokenHeader: entry.token]))
    }

    private func put(_ request: Request, token: String, environment: SimulatorEnvironment) async throws -> Response {
        let state = environment.state
        if request.headers[.authorization] != nil {
            await state.recordAuthorizationOnUpload()
            return Self.plain(.forbidden, "upload URLs must not receive an Authorization header: the API key never leaves the API; send only the required_headers")
        }
        guard let entry = await state.uploadEntry(token: token) else {
            return Self.plain(.forbidden, "unknown upload URL; request a new one with POST /v1/upload")
        }
        // Besides the required headers a client sends the file's own Content-Type; any single media type is fine.
        if let contentType = request.headers[.contentType], !Self.isMediaType(contentType) {
            return Self.plain(.badRequest, "Content-Type \"\(contentType)\" is not a media type such as image/png or audio/mpeg")
        }
        guard let name = HTTPField.Name(Self.tokenHeader), request.headers[name] == token else {
            return Self.plain(.forbidden, "header \(Self.tokenHeader) is missing or does not match this upload URL; send exactly the required_headers")
        }
        let expiry = entry.issuedAt + environment.configuration.uploadURLLifetime
        guard environment.clock.now() < expiry else {
            return Self.plain(.forbidden, "this upload URL has expired (valid 1 h after it was issued); request a new one with POST /v1/upload")
        }
        let bytes: [UInt8]
        do {
            bytes = try await RequestBodyReader.collect(request, limit: rules.maxUploadBytes, tooLarge: "")
        } catch let error as SimulatorError where error.kind == .fileTooLarge {
            return Self.plain(.contentTooLarge, "uploads may be at most \(rules.maxUploadBytes) bytes")
        }
        do {
            try await state.storeUpload(token: token, bytes: bytes, at: environment.clock.now())
        } catch .unknownToken {
            return Self.plain(.forbidden, "unknown upload URL; request a new one with POST /v1/upload")
        } catch .urlExpired {
            return Self.plain(.forbidden, "this upload URL has expired (valid 1 h after it was issued); request a new one with POST /v1/upload")
        }
        let status = await state.takeUploadPutStatus()
        return Response(status: status == 201 ? .created : .ok)
    }

    /// `type/subtype`, optionally with parameters.
    static func isMediaType(_ text: String) -> Bool {
        let essence = text.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) ?? ""
        let parts = essence.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
    }

    /// A plain-text answer, the way a storage service's signed URL answers.
    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
