import Foundation
import HTTPTypes
import Hummingbird

/// The ltx-v2 upload flow: `POST /v1/upload` (an API call) hands out a `PUT` target under `/_uploads/<token>`, which
/// behaves like a cloud storage signed URL: no API key (one sent is refused and counted), exactly the required
/// headers, valid for ``SimulatorConfiguration/uploadURLLifetime``, plain-text errors.
struct V2UploadRoutes: Sendable {
    /// The header carrying the upload's secret.
    static let tokenHeader = "x-ltx-upload-token"
    /// The Content-Type a `PUT` must carry.
    static let contentType = "application/octet-stream"
    /// The largest `POST /v1/upload` body read (it holds a file name and a type).
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
            tooLarge: "POST /v1/upload takes at most a small JSON object {\"filename\",\"content_type\"}; PUT the file to the upload_url")
        try Self.checkTicketBody(body)
        let now = environment.clock.now()
        let entry = await environment.state.issueUpload(at: now)
        let origin = await environment.state.origin
        let expiry = environment.clock.date(at: now + environment.configuration.uploadURLLifetime)
        return try WireJSON.response(V2UploadTicket(
            uploadURL: "\(origin)\(LTXV2Dialect.uploadPrefix)/\(entry.token)",
            storageURI: "ltx://uploads/\(entry.id)",
            expiresAt: expiry.formatted(.iso8601),
            requiredHeaders: ["Content-Type": Self.contentType, Self.tokenHeader: entry.token]))
    }

    /// The optional body: empty, or a JSON object whose `filename` and `content_type` are strings when present.
    private static func checkTicketBody(_ body: [UInt8]) throws(SimulatorError) {
        guard body.contains(where: { !$0.isASCIIWhitespace }) else { return }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw .invalid("POST /v1/upload body is not valid JSON; send {\"filename\": ..., \"content_type\": ...} or nothing")
        }
        guard case .object(let object) = value else {
            throw .invalid("POST /v1/upload body must be a JSON object, got \(value.typeName)")
        }
        for name in ["filename", "content_type"] {
            switch object[name] {
            case nil, .null?, .string?: continue
            case let other?: throw .invalid("\(name) must be a string, got \(other.typeName)")
            }
        }
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
        let contentType = request.headers[.contentType]
        guard contentType == Self.contentType else {
            return Self.plain(.forbidden, "Content-Type must be exactly \(Self.contentType) (the required_headers), got \(contentType ?? "none")")
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
        return Response(status: .ok)
    }

    /// A plain-text answer, the way a storage service's signed URL answers.
    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

private extension UInt8 {
    var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
