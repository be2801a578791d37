import Foundation
import Testing
@testable import LTXSimulator

/// The Replicate, WaveSpeed and APIFree routes on the wire: shapes, keys, errors and each provider's own fault.
@Suite("Replicate, WaveSpeed and APIFree routes", .serialized)
struct ProviderRouteTests {
    static func json(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    @Test("replicate: the model's schema, {detail} errors, 201 starting, then succeeded with an output that is gone an hour later (output null, file 404)")
    func replicate() async throws {
        try await Harness.with({ $0.fastLatency = 10...10; $0.renderOnAccept = false }) { sim in
            let bearer = ["Authorization": "Bearer \(sim.key)", "Content-Type": "application/json"]
            let anonymous = try await RawHTTP.send("GET", sim.url("/replicate/v1/models/lightricks/ltx-2.3-fast"))
            #expect(anonymous.status == 401 && anonymous.json["detail"] != nil)
            let model = try await RawHTTP.send("GET", sim.url("/replicate/v1/models/lightricks/ltx-2.3-fast"), headers: bearer)
            let version = try #require(model.json["latest_version"] as? [String: Any])
            let schemas = try #require(((version["openapi_schema"] as? [String: Any])?["components"] as? [String: Any])?["schemas"] as? [String: Any])
            #expect(Set(((schemas["Input"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]).keys)
                    == ["prompt", "image", "duration", "resolution", "aspect_ratio", "fps", "generate_audio"])

            let path = sim.url("/replicate/v1/models/lightricks/ltx-2.3-fast/predictions")
            let unknown = try await RawHTTP.send("POST", path, headers: bearer, body: try Self.json(["input": ["prompt": "a kite", "seed": 3]]))
            #expect(unknown.status == 422 && (unknown.json["detail"] as? String)?.contains("input.seed") == true, "\(unknown.text)")
            let created = try await RawHTTP.send("POST", path, headers: bearer, body: try Self.json(["input": ["prompt": "a kite", "duration": 6]]))
            #expect(created.status == 201 && created.json["status"] as? String == "starting", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            await sim.server.advanceTime(by: 11)
            let done = try await RawHTTP.send("GET", sim.url("/replicate/v1/predictions/\(id)"), headers: bearer)
            let output = try #require(done.json["output"] as? String)
            #expect(done.json["status"] as? String == "succeeded")
            await sim.server.advanceTime(by: 3_600)
            let later = try await RawHTTP.send("GET", sim.url("/replicate/v1/predictions/\(id)"), headers: bearer)
            #expect(later.json["status"] as? String == "succeeded" && later.json["output"] is NSNull)
            #expect(try await RawHTTP.send("GET", try #require(URL(string: output))).status == 404)
        }
    }

    @Test("wavespeed: {code,message,data} on success and on errors (HTTP status and code agree); a third task waits as created beyond Bronze's 2")
    func wavespeed() async throws {
        try await Harness.with({ $0.fastLatency = 100...100; $0.renderOnAccept = false }) { sim in
            let bearer = ["Authorization": "Bearer \(sim.key)", "Content-Type": "application/json"]
            let path = sim.url("/wavespeed/api/v3/lightricks/ltx-2-fast/text-to-video")
            let bad = try await RawHTTP.send("POST", path, headers: bearer, body: try Self.json(["prompt": "a kite", "duration": 7]))
            #expect(bad.status == 400 && bad.json["code"] as? Int == 400 && bad.json["data"] is NSNull, "\(bad.text)")
            let missing = try await RawHTTP.send("GET", sim.url("/wavespeed/api/v3/predictions/nope/result"), headers: bearer)
            #expect(missing.status == 404 && missing.json["code"] as? Int == 404)
            var ids: [String] = []
            for _ in 0..<3 {
                let reply = try await RawHTTP.send("POST", path, headers: bearer, body: try Self.json(["prompt": "a kite"]))
                #expect(reply.status == 200 && reply.json["code"] as? Int == 200 && reply.json["message"] as? String == "success")
                ids.append(try #require((reply.json["data"] as? [String: Any])?["id"] as? String))
            }
            await sim.server.advanceTime(by: 50)
            var states: [String] = []
            for id in ids {
                let reply = try await RawHTTP.send("GET", sim.url("/wavespeed/api/v3/predictions/\(id)/result"), headers: bearer)
                states.append((reply.json["data"] as? [String: Any])?["status"] as? String ?? "?")
            }
            #expect(states == ["processing", "processing", "created"])
            #expect(await sim.server.stats().rateLimited == 0)
        }
    }

    @Test("apifree: a task object with WxH size and string seconds; the file at /v1/videos/{id}/content needs the key")
    func apifree() async throws {
        try await Harness.with({ $0.renderOnAccept = false }) { sim in
            let bearer = ["Authorization": "Bearer \(sim.key)", "Content-Type": "application/json"]
            let created = try await RawHTTP.send("POST", sim.url("/apifree/v1/videos"), headers: bearer,
                                                 body: try Self.json(["model": "ltx-2-3-fast", "prompt": "a kite", "size": "1280x720", "seconds": "6"]))
            #expect(created.status == 200 && created.json["object"] as? String == "video" && created.json["size"] as? String == "1280x720"
                    && created.json["seconds"] as? String == "6", "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let bad = try await RawHTTP.send("POST", sim.url("/apifree/v1/videos"), headers: bearer,
                                             body: try Self.json(["model": "ltx-2-3-fast", "prompt": "a kite", "size": "640x480"]))
            #expect(bad.status == 400 && ((bad.json["error"] as? [String: Any])?["message"] as? String)?.contains("size") == true)
            let anonymous = try await RawHTTP.send("GET", sim.url("/apifree/v1/videos/\(id)/content"))
            #expect(anonymous.status == 401)
            let task = try await RawHTTP.send("GET", sim.url("/apifree/v1/videos/\(id)"), headers: bearer)
            #expect(task.json["status"] as? String == "completed")
        }
    }
}
