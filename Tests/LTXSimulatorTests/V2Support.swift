import Foundation
import LTXMedia
import Testing
@testable import LTXSimulator

/// Every ltx-v2 suite, one test at a time: the old suites have real-time expectations (a rate window measured in
/// seconds, a stop under 2 s) that a burst of parallel 1080p renders and servers on 2 cores would stretch.
@Suite("ltx-v2", .serialized)
enum V2Suites {}

/// ltx-v2 helpers on top of ``Harness`` (same server: both dialects are always served).
extension Harness {
    /// Runs `body` against a fresh simulator that renders only on download, so tests that never download cost no
    /// render; downloads share the process-wide cache of ``Harness/cacheDirectory``.
    static func v2(
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> Void
    ) async throws {
        try await with({ configuration in
            configuration.renderOnAccept = false
            configure(&configuration)
        }, body)
    }

    /// `POST /v2/{mode}` with a JSON body sent verbatim.
    func v2Submit(_ mode: String = "text-to-video", json: String, credentials: Credentials = .valid) async throws -> HTTPReply {
        var headers = auth(credentials)
        headers["Content-Type"] = "application/json"
        return try await RawHTTP.send("POST", url("/v2/\(mode)"), headers: headers, body: Array(json.utf8))
    }

    /// `POST /v2/{mode}` with a JSON object built from `fields`.
    func v2Submit(_ mode: String, _ fields: [String: Any]) async throws -> HTTPReply {
        try await v2Submit(mode, json: try jsonText(fields))
    }

    /// `POST /v2/text-to-video` with a JSON object built from `fields`.
    func v2Submit(_ fields: [String: Any]) async throws -> HTTPReply {
        try await v2Submit("text-to-video", fields)
    }

    /// The synchronous `POST /v1/{mode}`.
    func v2Sync(_ mode: String = "text-to-video", _ fields: [String: Any]) async throws -> HTTPReply {
        var headers = auth(.valid)
        headers["Content-Type"] = "application/json"
        return try await RawHTTP.send("POST", url("/v1/\(mode)"), headers: headers, body: Array(try jsonText(fields).utf8))
    }

    /// `GET /v2/{mode}/{id}`.
    func v2Poll(_ mode: String = "text-to-video", _ id: String, credentials: Credentials = .valid) async throws -> HTTPReply {
        try await RawHTTP.send("GET", url("/v2/\(mode)/\(id)"), headers: auth(credentials))
    }

    /// Submits and requires a 202, returning the job id.
    func v2Accepted(_ mode: String = "text-to-video", _ fields: [String: Any]) async throws -> String {
        let reply = try await v2Submit(mode, fields)
        try #require(reply.status == 202, "submit was not accepted: \(reply.status) \(reply.text)")
        return try #require(reply.json["id"] as? String)
    }

    /// `POST /v1/upload` with no body, required to succeed: the ticket's JSON.
    func v2Ticket() async throws -> [String: Any] {
        let reply = try await RawHTTP.send("POST", url("/v1/upload"), headers: auth(.valid))
        try #require(reply.status == 200, "upload ticket refused: \(reply.status) \(reply.text)")
        return reply.json
    }

    /// `PUT`s `bytes` to a ticket's upload URL with `headers` (by default exactly the required ones).
    func v2Put(_ ticket: [String: Any], bytes: [UInt8], headers: [String: String]? = nil) async throws -> HTTPReply {
        let target = try #require((ticket["upload_url"] as? String).flatMap(URL.init(string:)))
        let required = try #require(ticket["required_headers"] as? [String: String])
        return try await RawHTTP.send("PUT", target, headers: headers ?? required, body: bytes)
    }

    /// Issues a ticket, uploads `bytes` with exactly the required headers and returns the storage URI.
    func v2Upload(_ bytes: [UInt8]) async throws -> String {
        let ticket = try await v2Ticket()
        let put = try await v2Put(ticket, bytes: bytes)
        try #require(put.status == 200, "upload PUT failed: \(put.status) \(put.text)")
        return try #require(ticket["storage_uri"] as? String)
    }

    private func jsonText(_ fields: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// `data:<mime>;base64,<bytes>`.
func dataURI(_ bytes: [UInt8], mime: String) -> String {
    "data:\(mime);base64,\(Data(bytes).base64EncodedString())"
}

/// The smallest text-to-video request the rules allow (1080p, 24 fps, 6 s: 145 frames).
var smallestTextToVideo: [String: Any] { [
    "prompt": "a lighthouse at dusk", "model": "ltx-2-3-fast", "resolution": "1920x1080", "duration": 6, "fps": 24,
] }

extension HTTPReply {
    /// The top-level `type` of an ltx-v2 error body (always `"error"`).
    var envelopeType: String? { json["type"] as? String }
}
