import Foundation
import LTXCore
import LTXMedia
import LTXSimulator
import Testing
@testable import LTXAPI

/// The comfyui dialect against the simulator's ComfyUI (served under `/comfyui`): workflows with bindings, the
/// client-chosen `prompt_id`, crash and restart recovery, and ComfyUI's node errors.
@Suite("comfyui dialect", .serialized)
struct ComfyUIClientTests {
    static let workflows = SimulatorLab.repoRoot + "/workflows"

    static func dialect(textToVideo: String = "test-text-to-video", imageToVideo: String = "test-image-to-video") throws -> ComfyUIDialect {
        ComfyUIDialect(workflows: [
            .textToVideo: try ComfyUIWorkflow.load(workflows + "/\(textToVideo).json"),
            .imageToVideo: try ComfyUIWorkflow.load(workflows + "/\(imageToVideo).json"),
        ])
    }

    static func parameters(_ mode: GenerationMode = .textToVideo, resolution: String = "512x288", duration: Int = 1, prompt: String = "a kite") -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: prompt, model: "ltx-2-3", resolution: Resolution(parsing: resolution), duration: duration, fps: 24,
                             catalog: .comfyui)
    }

    /// The simulator's ComfyUI counters (`prompts_accepted`, `executions`, `restarts`).
    static func stats(_ lab: SimulatorLab) async throws -> [String: Int] {
        let url = try #require(URL(string: lab.base.absoluteString.replacingOccurrences(of: "/comfyui", with: "/_simulator/comfyui/stats")))
        let response = try await HTTPClient().send(HTTPRequest(method: "GET", url: url))
        return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Int])
    }

    /// Restarts the simulated ComfyUI: queue and history forgotten.
    static func restart(_ lab: SimulatorLab) async throws {
        let url = try #require(URL(string: lab.base.absoluteString.replacingOccurrences(of: "/comfyui", with: "/_simulator/comfyui/restart")))
        let response = try await HTTPClient().send(HTTPRequest(method: "POST", url: url))
        #expect(response.status == 200)
    }

    /// The history entry's prompt (the workflow as ComfyUI ran it, with the bound values).
    static func ranPrompt(_ status: GenerationStatus) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.responseBody.utf8)) as? [String: Any])
        let entry = try #require(object[status.id] as? [String: Any])
        let prompt = try #require(entry["prompt"] as? [Any])
        let nodes = try #require(prompt[2] as? [String: Any])
        return nodes.compactMapValues { ($0 as? [String: Any])?["inputs"] as? [String: Any] }
    }

    @Test("text-to-video: the bound workflow runs under a client-chosen lowercase-UUID prompt_id; the video from /view is a real MP4 at the rendered size with 8n+1 frames")
    func textToVideo() async throws {
        try await SimulatorLab.with(dialect: try Self.dialect()) { lab in
            let parameters = Self.parameters()
            let submitted = try await lab.client.submit(parameters)
            #expect(ComfyUIDialect.isPromptID(submitted.id) && submitted.state == .pending)
            let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
            let link = try #require(done.videoURL)
            #expect(link.hasPrefix(lab.base.absoluteString + "/view?filename=ltxpipe-test_") && link.hasSuffix("&subfolder=video&type=output"), "\(link)")
            let ran = try Self.ranPrompt(done)
            #expect(ran["1"]?["width"] as? Int == 512 && ran["1"]?["height"] as? Int == 288 && ran["1"]?["batch_size"] as? Int == 25)
            #expect(ran["2"]?["fps"] as? Int == 24)
            let file = try await lab.client.download(done, to: lab.directory + "/t2v.mp4")
            let report = try VideoVerifier.verify(file.path, against: VerificationRequest(fps: Rational(24, 1), duration: 1, width: 512, height: 288))
            #expect(report.passed, "\(report.checks.filter { !$0.passed })")
            #expect(report.measured.frames == 25)
            #expect(try await Self.stats(lab)["prompts_accepted"] == 1)
        }
    }

    @Test("a 1080p request renders as 1920x1088: the catalog's renders size is what the workflow gets and what verification expects; every fps input gets the one rate")
    func renderedSize() throws {
        let dialect = try Self.dialect(textToVideo: "ltx-2.3-text-to-video")
        let parameters = Self.parameters(resolution: "1920x1080", duration: 6, prompt: "a red kite over the sea")
        let (id, nodes) = try dialect.boundPrompt(parameters, inputs: GenerationInputs())
        let inputs = nodes.compactMapValues { ($0 as? [String: Any])?["inputs"] as? [String: Any] }
        #expect(inputs["6"]?["width"] as? Int == 1920 && inputs["6"]?["height"] as? Int == 1088)
        #expect(inputs["6"]?["length"] as? Int == 145 && inputs["8"]?["frames_number"] as? Int == 145, "8·⌊6·24/8⌋+1")
        #expect(inputs["5"]?["frame_rate"] as? Int == 24 && inputs["8"]?["frame_rate"] as? Int == 24 && inputs["14"]?["fps"] as? Int == 24)
        #expect(inputs["3"]?["text"] as? String == "a red kite over the sea")
        let expected = PreflightTargets.expectedVideo(parameters, catalog: dialect.catalog, audioSeconds: nil, tolerance: 0.5, deep: false)
        #expect(expected.width == 1920 && expected.height == 1088)
        // The same job always gets the same id and seed; another prompt gets another.
        let again = try dialect.boundPrompt(parameters, inputs: GenerationInputs())
        #expect(again.id == id && (again.nodes["10"] as? [String: Any]).flatMap { $0["inputs"] as? [String: Any] }?["seed"] as? Int == inputs["10"]?["seed"] as? Int)
        let other = try dialect.boundPrompt(Self.parameters(resolution: "1920x1080", duration: 6, prompt: "a blue kite"), inputs: GenerationInputs())
        #expect(other.id != id)
    }

    @Test("image-to-video: the start image goes through /upload/image and its stored name is bound to LoadImage; the video starts from it")
    func imageToVideo() async throws {
        try await SimulatorLab.with(dialect: try Self.dialect()) { lab in
            let parameters = Self.parameters(.imageToVideo)
            let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
            let submitted = try await lab.client.submit(parameters, inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))
            let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
            let name = try #require(Self.ranPrompt(done)["1"]?["image"] as? String)
            #expect(name.hasPrefix("ltxpipe-") && name.hasSuffix(".jpg"))
            #expect(lab.events.calls.contains { $0.endpoint == "upload" && $0.url.hasSuffix("/comfyui/upload/image") && $0.status == 200 })
            let file = try await lab.client.download(done, to: lab.directory + "/i2v.mp4")
            var request = VerificationRequest(fps: Rational(24, 1), duration: 1, width: 512, height: 288)
            request.content = ContentExpectation(thresholds: ContentThresholds(), startImage: image)
            let report = try VideoVerifier.verify(file.path, against: request)
            #expect(report.checks.first { $0.name == "start_image" }?.passed == true, "\(report.checks)")
            #expect(report.checks.first { $0.name == "resolution" }?.passed == true)
        }
    }

    @Test("crash after the POST: submitting the same job again asks /queue and /history for its prompt_id and follows it; nothing is queued twice")
    func crashAfterPost() async throws {
        try await SimulatorLab.with(dialect: try Self.dialect()) { lab in
            let parameters = Self.parameters(prompt: "sent before a crash")
            let first = try await lab.client.submit(parameters)
            // The answer to the first POST was lost with the process: the next run submits the same job again.
            let second = try await lab.client.submit(parameters)
            #expect(second.id == first.id)
            #expect(try await Self.stats(lab)["prompts_accepted"] == 1)
            let done = try await lab.client.waitForCompletion(second, parameters: parameters)
            // And once it has finished, a third submit finds it in the history.
            let third = try await lab.client.submit(parameters)
            #expect(third.id == first.id && third.state == .completed && third.videoURL == done.videoURL)
            #expect(try await Self.stats(lab)["prompts_accepted"] == 1)
            #expect(lab.events.calls.filter { $0.endpoint == "submit" }.count == 1)
        }
    }

    @Test("a restarted ComfyUI has forgotten the job (in neither queue nor history): polling says notFound, and submitting again queues it under the same id and it completes")
    func restartRequeues() async throws {
        // The server's time stands still (1000 real seconds per simulated one) until the test moves it past the render.
        try await SimulatorLab.with(scale: 0.05, dialect: try Self.dialect(), configure: { $0.timeScale = 1000 }) { lab in
            let parameters = Self.parameters(duration: 4, prompt: "forgotten by a restart")
            let submitted = try await lab.client.submit(parameters)
            try await Self.restart(lab)
            let error = await apiError("polling a forgotten prompt") { try await lab.client.poll(id: submitted.id, mode: .textToVideo) }
            guard case .notFound(let detail)? = error else { Issue.record("expected notFound, got \(String(describing: error))"); return }
            #expect(detail.contains(submitted.id) && detail.contains("restarted"))
            let again = try await lab.client.submit(parameters)
            #expect(again.id == submitted.id)
            await lab.server.advanceTime(by: 60)
            let done = try await lab.client.waitForCompletion(again, parameters: parameters)
            #expect(done.state == .completed && done.videoURL != nil)
            let stats = try await Self.stats(lab)
            #expect(stats["prompts_accepted"] == 2 && stats["restarts"] == 1)
        }
    }

    @Test("a workflow naming a model file the server lacks is refused with ComfyUI's 400: the message names the node, its class and the file; a missing node class names the class")
    func missingModelRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("comfy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = try String(contentsOfFile: Self.workflows + "/ltx-2.3-text-to-video.json", encoding: .utf8)
        try text.replacingOccurrences(of: "\"ckpt_name\": \"ltx-2.3-22b-dev.safetensors\" } },\n  \"2\"", with: "\"ckpt_name\": \"ltx-2.3-22b-distilled.safetensors\" } },\n  \"2\"")
            .write(toFile: folder + "/missing-model.json", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.workflows + "/ltx-2.3-text-to-video.bindings.json", toPath: folder + "/missing-model.bindings.json")
        try text.replacingOccurrences(of: "\"LTXVConditioning\"", with: "\"LTXVConditioningPlus\"").write(toFile: folder + "/missing-node.json", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.workflows + "/ltx-2.3-text-to-video.bindings.json", toPath: folder + "/missing-node.bindings.json")

        let model = ComfyUIDialect(workflows: [.textToVideo: try ComfyUIWorkflow.load(folder + "/missing-model.json")])
        try await SimulatorLab.with(dialect: model) { lab in
            let error = await apiError("a missing model") { try await lab.client.submit(Self.parameters()) }
            guard case .invalidRequest(let message)? = error else { Issue.record("expected invalidRequest, got \(String(describing: error))"); return }
            #expect(message.contains("node 1 (CheckpointLoaderSimple)") && message.contains("ltx-2.3-22b-distilled.safetensors"), "\(message)")
            let disposition = model.retryPolicy.disposition(for: .invalidRequest(message), during: .submit)
            guard case .hold(_, _, let stopsSubmitting) = disposition else { Issue.record("a refused workflow is not held: \(disposition)"); return }
            #expect(stopsSubmitting, "every job would meet the same refusal: no other is sent")
            let stats = try await Self.stats(lab)
            #expect(stats["prompts_accepted"] == 0)
        }
        let node = ComfyUIDialect(workflows: [.textToVideo: try ComfyUIWorkflow.load(folder + "/missing-node.json")])
        try await SimulatorLab.with(dialect: node) { lab in
            let error = await apiError("a missing node class") { try await lab.client.submit(Self.parameters()) }
            guard case .invalidRequest(let message)? = error else { Issue.record("expected invalidRequest, got \(String(describing: error))"); return }
            #expect(message.contains("LTXVConditioningPlus") && message.contains("#5"), "\(message)")
        }
    }

    @Test("the shipped LTX-2.3 workflows run on a server with the model files; a workflow file or bindings that do not fit are refused naming the file and the key")
    func shippedWorkflowsAndBadBindings() async throws {
        try await SimulatorLab.with(dialect: try Self.dialect(textToVideo: "ltx-2.3-text-to-video", imageToVideo: "ltx-2.3-image-to-video")) { lab in
            let parameters = Self.parameters(.imageToVideo)
            let image = SimulatorLab.repoRoot + "/fixtures/media/landscape-16x9.jpg"
            let submitted = try await lab.client.submit(parameters, inputs: GenerationInputs(image: .file(path: image, contentType: "image/jpeg")))
            let done = try await lab.client.waitForCompletion(submitted, parameters: parameters)
            let ran = try Self.ranPrompt(done)
            #expect(ran["8"]?["width"] as? Int == 512 && ran["8"]?["length"] as? Int == 25 && (ran["6"]?["image"] as? String)?.hasPrefix("ltxpipe-") == true)
            let file = try await lab.client.download(done, to: lab.directory + "/ltx.mp4")
            let report = try VideoVerifier.verify(file.path, against: VerificationRequest(fps: Rational(24, 1), duration: 1, width: 512, height: 288, audioExpected: true))
            #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("comfy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.workflows + "/test-text-to-video.json", toPath: folder + "/w.json")
        try #"{"width": "1.inputs.width", "height": "1.inputs.height", "frames": "1.inputs.length", "fps": "2.inputs.fps"}"#
            .write(toFile: folder + "/w.bindings.json", atomically: true, encoding: .utf8)
        #expect(throws: ComfyUIWorkflowError.self) { try ComfyUIWorkflow.load(folder + "/w.json") }
        do { _ = try ComfyUIWorkflow.load(folder + "/w.json") } catch {
            #expect(error.description == "\(folder)/w.bindings.json: frames: node 1 (EmptyImage) has no input \"length\"")
        }
        try #"{"width": "1.inputs.width", "height": "1.inputs.height", "frames": "1.inputs.batch_size"}"#
            .write(toFile: folder + "/w.bindings.json", atomically: true, encoding: .utf8)
        do { _ = try ComfyUIWorkflow.load(folder + "/w.json"); Issue.record("an unbound fps was accepted") } catch {
            #expect(error.description.hasPrefix("\(folder)/w.bindings.json: fps: missing"))
        }
    }

    @Test("outputs: core SaveVideo's animated images and VideoHelperSuite's gifs are both found; still images are not a video")
    func outputsFound() {
        #expect(ComfyUIDialect.videoLink(["9": ["images": [["filename": "a_00001_.mp4", "subfolder": "video", "type": "output"]], "animated": [true]]])
                == "view?filename=a_00001_.mp4&subfolder=video&type=output")
        #expect(ComfyUIDialect.videoLink(["12": ["gifs": [["filename": "LTX 00002.mp4", "subfolder": "", "type": "output", "format": "video/h264-mp4"]]]])
                == "view?filename=LTX%2000002.mp4&subfolder=&type=output")
        #expect(ComfyUIDialect.videoLink(["3": ["images": [["filename": "still.png", "subfolder": "", "type": "output"]]]]) == nil)
        #expect(ComfyUIDialect.videoLink(["3": ["images": [["filename": "x.mp4", "subfolder": "", "type": "output"]], "animated": [false]]]) == nil)
    }
}
