import Foundation
import LTXAPI
@testable import LTXPipeline
import Testing

/// The comfyui keys of a pipeline file: `api.workflow` (workflows and their bindings, loaded and checked at start)
/// and `api.servers` (a pool), each fault at its key's line.
@Suite("Pipeline file: comfyui")
struct ComfyUIPipelineFileTests {
    static let workflows = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("workflows").path

    static func yaml(_ api: String) -> String {
        """
        name: t
        drop: ./drop
        archive: ./archive
        failed: ./failed
        state: ./state
        api:
        \(api)
        """
    }

    static func parse(_ api: String) -> Result<PipelineConfiguration, PipelineFileError> {
        do { return .success(try PipelineFile.parse(yaml: yaml(api), path: "pipelines/x.yml")) } catch { return .failure(error) }
    }

    static func error(_ api: String) -> PipelineFileError? {
        if case .failure(let error) = parse(api) { return error }
        return nil
    }

    @Test("workflows load with their bindings; a pool's servers default to two generations each and make the dialect's pool")
    func valid() throws {
        let configuration = try Self.parse("""
              base: http://gpu1:8188
              dialect: comfyui
              servers: [http://gpu1:8188, http://gpu2:8188, http://10.0.0.3:8188]
              workflow: { text-to-video: \(Self.workflows)/test-text-to-video.json, image-to-video: \(Self.workflows)/ltx-2.3-image-to-video.json }
            """).get()
        #expect(configuration.api.workflows[.textToVideo]?.bindings[.frames]?.map(\.description) == ["1.inputs.batch_size"])
        #expect(configuration.api.workflows[.imageToVideo]?.bindings[.fps]?.count == 3)
        #expect(configuration.api.limits.generations == 6)
        let dialect = try #require(configuration.api.wireDialect as? ComfyUIDialect)
        #expect(dialect.servers.map(ComfyUIDialect.serverKey) == ["gpu1:8188", "gpu2:8188", "10.0.0.3:8188"])
    }

    @Test("comfyui without workflows, a workflow whose bindings name a missing input, an image-to-video workflow that binds no image, a bad or repeated server: errors at their key's line")
    func faults() throws {
        let missing = Self.error("  base: http://gpu1:8188\n  dialect: comfyui")
        #expect(missing?.key == "api.workflow" && missing?.message.contains("api.dialect: comfyui needs api.workflow") == true, "\(String(describing: missing))")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("comfy-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.workflows + "/test-text-to-video.json", toPath: folder + "/w.json")
        try #"{"width": "1.inputs.width", "height": "1.inputs.height", "frames": "1.inputs.batch_size", "fps": "9.inputs.fps"}"#
            .write(toFile: folder + "/w.bindings.json", atomically: true, encoding: .utf8)
        let binding = Self.error("  base: http://gpu1:8188\n  dialect: comfyui\n  workflow:\n    text-to-video: \(folder)/w.json")
        #expect(binding?.line == 10 && binding?.key == "api.workflow.text-to-video")
        #expect(binding?.message == "\(folder)/w.bindings.json: fps: the workflow has no node 9")

        let noImage = Self.error("  base: http://gpu1:8188\n  dialect: comfyui\n  workflow:\n    image-to-video: \(Self.workflows)/test-text-to-video.json")
        #expect(noImage?.key == "api.workflow.image-to-video" && noImage?.message.contains("image: missing") == true, "\(String(describing: noImage))")

        let wrongDialect = Self.error("  base: http://gpu1:8188\n  dialect: fal\n  servers: [http://gpu1:8188]")
        #expect(wrongDialect?.key == "api.servers" && wrongDialect?.message == "api.servers is for api.dialect: comfyui only")
        let workflow = "\n  workflow: { text-to-video: \(Self.workflows)/test-text-to-video.json }"
        let notURL = Self.error("  base: http://gpu1:8188\n  dialect: comfyui\n  servers: [gpu1:8188]" + workflow)
        #expect(notURL?.key == "api.servers" && notURL?.message.contains("is not an http(s) URL") == true, "\(String(describing: notURL))")
        let twice = Self.error("  base: http://gpu1:8188\n  dialect: comfyui\n  servers: [http://gpu1:8188, http://gpu1:8188/]" + workflow)
        #expect(twice?.message == "api.servers lists gpu1:8188 twice")
    }
}
