import Foundation
import Testing
@testable import LTXSimulator

/// The simulator's ComfyUI routes on the wire (providers.md, "ComfyUI"): history and queue semantics, a client-chosen
/// `prompt_id` (and a duplicate queued again), node errors, uploads, interrupt, restart and the video at the workflow's size.
@Suite("ComfyUI routes")
struct ComfyUITests {
    static let workflow = #"{"1":{"class_type":"EmptyImage","inputs":{"width":320,"height":192,"batch_size":9,"color":1}},"2":{"class_type":"CreateVideo","inputs":{"images":["1",0],"fps":25}},"3":{"class_type":"SaveVideo","inputs":{"video":["2",0],"filename_prefix":"video/t","format":"mp4","codec":"h264"}}}"#

    static func post(_ harness: Harness, _ path: String, _ json: String) async throws -> HTTPReply {
        try await RawHTTP.send("POST", harness.url("/comfyui" + path), headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    @Test("prompt → queue → history; {} while queued and for an unknown id; a duplicate prompt_id is queued again; the /view file is the workflow's size; no key needed")
    func lifecycle() async throws {
        // Simulated time stands still (1000 real seconds per simulated one) unless a test moves it.
        try await Harness.with({ $0.timeScale = 1000 }) { harness in
            let id = "0b7e5d3c-6a43-4f1e-9a51-3f1f2d0c9e11"
            let accepted = try await Self.post(harness, "/prompt", #"{"prompt":\#(Self.workflow),"prompt_id":"\#(id)"}"#)
            #expect(accepted.status == 200 && accepted.json["prompt_id"] as? String == id && accepted.json["number"] as? Int == 1)
            let queued = try await harness.get("/comfyui/queue")
            let running = try #require(queued.json["queue_running"] as? [[Any]])
            #expect(running.first?[1] as? String == id)
            #expect(try await harness.get("/comfyui/history/\(id)").json.isEmpty)
            #expect(try await harness.get("/comfyui/history/11111111-2222-4333-8444-555555555555").json.isEmpty)
            let again = try await Self.post(harness, "/prompt", #"{"prompt":\#(Self.workflow),"prompt_id":"\#(id)"}"#)
            #expect(again.status == 200 && again.json["number"] as? Int == 2, "a duplicate id is not refused")

            await harness.server.advanceTime(by: 60)
            let history = try await harness.get("/comfyui/history/\(id)")
            let entry = try #require(history.json[id] as? [String: Any])
            #expect((entry["status"] as? [String: Any])?["status_str"] as? String == "success")
            let output = try #require((entry["outputs"] as? [String: Any])?["3"] as? [String: Any])
            #expect(output["animated"] as? [Bool] == [true])
            let file = try #require((output["images"] as? [[String: Any]])?.first)
            let name = try #require(file["filename"] as? String)
            let video = try await harness.get("/comfyui/view?filename=\(name)&subfolder=video&type=output")
            #expect(video.status == 200 && video.complete)
            let info = try probe(video.body)
            #expect(info.video?.width == 320 && info.video?.height == 192 && info.video?.frameCount == 9)
        }
    }

    @Test("node errors: a class not installed is missing_node_type; a model file not in the list is value_not_in_list naming the node and the file; a bad prompt_id is refused")
    func nodeErrors() async throws {
        try await Harness.with { harness in
            let missing = try await Self.post(harness, "/prompt", #"{"prompt":{"1":{"class_type":"NoSuchNode","inputs":{}}}}"#)
            #expect(missing.status == 400 && missing.errorType == "missing_node_type")
            let model = try await Self.post(harness, "/prompt", #"{"prompt":{"1":{"class_type":"CheckpointLoaderSimple","inputs":{"ckpt_name":"other.safetensors"}},"2":{"class_type":"SaveVideo","inputs":{"video":["1",0],"filename_prefix":"x","codec":"h264"}}}}"#)
            #expect(model.status == 400 && model.errorType == "prompt_outputs_failed_validation")
            let node = try #require((model.json["node_errors"] as? [String: Any])?["1"] as? [String: Any])
            #expect(node["class_type"] as? String == "CheckpointLoaderSimple")
            let error = try #require((node["errors"] as? [[String: Any]])?.first)
            #expect(error["type"] as? String == "value_not_in_list" && (error["details"] as? String)?.contains("other.safetensors") == true)
            let badID = try await Self.post(harness, "/prompt", #"{"prompt":\#(Self.workflow),"prompt_id":"NOT-A-UUID"}"#)
            #expect(badID.status == 400 && badID.errorType == "invalid_prompt_id")
        }
    }

    @Test("uploads keep the name of the same file and rename a different one; interrupt ends the running prompt as an error with execution_interrupted; a restart forgets queue and history")
    func uploadsInterruptRestart() async throws {
        // Simulated time stands still (1000 real seconds per simulated one) unless a test moves it.
        try await Harness.with({ $0.timeScale = 1000 }) { harness in
            func upload(_ bytes: [UInt8]) async throws -> String? {
                let boundary = "b0undary"
                var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
                let reply = try await RawHTTP.send("POST", harness.url("/comfyui/upload/image"), headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body)
                return reply.json["name"] as? String
            }
            #expect(try await upload([1, 2, 3]) == "a.png")
            #expect(try await upload([1, 2, 3]) == "a.png")
            #expect(try await upload([4, 5, 6]) == "a (1).png")

            let id = "2b7e5d3c-6a43-4f1e-9a51-3f1f2d0c9e11"
            _ = try await Self.post(harness, "/prompt", #"{"prompt":\#(Self.workflow),"prompt_id":"\#(id)"}"#)
            _ = try await Self.post(harness, "/interrupt", "{}")
            await harness.server.advanceTime(by: 2)
            let entry = try #require(try await harness.get("/comfyui/history/\(id)").json[id] as? [String: Any])
            let status = try #require(entry["status"] as? [String: Any])
            #expect(status["status_str"] as? String == "error")
            #expect((status["messages"] as? [[Any]])?.contains { $0.first as? String == "execution_interrupted" } == true)

            let other = "3b7e5d3c-6a43-4f1e-9a51-3f1f2d0c9e11"
            _ = try await Self.post(harness, "/prompt", #"{"prompt":\#(Self.workflow),"prompt_id":"\#(other)"}"#)
            let restarted = try await RawHTTP.send("POST", harness.url("/_simulator/comfyui/restart"))
            #expect(restarted.status == 200)
            let queue = try await harness.get("/comfyui/queue")
            #expect((queue.json["queue_running"] as? [Any])?.isEmpty == true && (queue.json["queue_pending"] as? [Any])?.isEmpty == true)
            #expect(try await harness.get("/comfyui/history/\(id)").json.isEmpty)
        }
    }
}
