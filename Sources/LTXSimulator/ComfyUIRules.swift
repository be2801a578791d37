import Foundation
import LTXMedia

/// The simulator's reading of a ComfyUI server (providers.md, "ComfyUI"): which node classes are installed, which
/// inputs each requires, which inputs name a model file from a list, and what an API-format workflow renders. Written
/// from ComfyUI's documented behaviour, never from the client's bindings, so each checks the other.
struct ComfyUIRules: Sendable {
    /// One installed node class: its required inputs and the inputs whose value must be one of a list.
    struct NodeClass: Sendable {
        let required: [String]
        /// Input name → the folder whose file list its value must be in (`checkpoints`, `text_encoders`, `input`).
        let lists: [String: String]
        /// True for output nodes (a prompt needs at least one).
        let output: Bool

        init(_ required: [String], lists: [String: String] = [:], output: Bool = false) {
            self.required = required
            self.lists = lists
            self.output = output
        }
    }

    /// The model files the simulated server has, by folder.
    var modelFiles: [String: [String]]
    /// Installed node classes by name.
    let classes: [String: NodeClass]

    /// The core nodes an LTX-2 workflow and the weightless test workflow use, plus VideoHelperSuite's video combine,
    /// with the LTX-2.3 model files installed.
    static let standard = ComfyUIRules(
        modelFiles: [
            "checkpoints": ["ltx-2.3-22b-dev.safetensors"],
            "text_encoders": ["gemma_3_12B_it.safetensors"],
        ],
        classes: [
            "EmptyImage": NodeClass(["width", "height", "batch_size", "color"]),
            "LoadImage": NodeClass(["image"], lists: ["image": "input"]),
            "ImageScale": NodeClass(["image", "upscale_method", "width", "height", "crop"]),
            "RepeatImageBatch": NodeClass(["image", "amount"]),
            "EmptyAudio": NodeClass(["duration", "sample_rate", "channels"]),
            "LoadAudio": NodeClass(["audio"], lists: ["audio": "input"]),
            "CreateVideo": NodeClass(["images", "fps"]),
            "SaveVideo": NodeClass(["video", "filename_prefix", "codec"], output: true),
            "VHS_VideoCombine": NodeClass(["images", "frame_rate", "loop_count", "filename_prefix", "format", "pingpong", "save_output"], output: true),
            "CheckpointLoaderSimple": NodeClass(["ckpt_name"], lists: ["ckpt_name": "checkpoints"]),
            "LTXAVTextEncoderLoader": NodeClass(["text_encoder", "ckpt_name", "device"], lists: ["text_encoder": "text_encoders", "ckpt_name": "checkpoints"]),
            "LTXVAudioVAELoader": NodeClass(["ckpt_name"], lists: ["ckpt_name": "checkpoints"]),
            "CLIPTextEncode": NodeClass(["text", "clip"]),
            "LTXVConditioning": NodeClass(["positive", "negative", "frame_rate"]),
            "EmptyLTXVLatentVideo": NodeClass(["width", "height", "length", "batch_size"]),
            "LTXVEmptyLatentAudio": NodeClass(["audio_vae", "frames_number", "frame_rate", "batch_size"]),
            "LTXVConcatAVLatent": NodeClass(["video_latent", "audio_latent"]),
            "LTXVSeparateAVLatent": NodeClass(["av_latent"]),
            "LTXVPreprocess": NodeClass(["image", "img_compression"]),
            "LTXVImgToVideo": NodeClass(["positive", "negative", "vae", "image", "width", "height", "length", "batch_size", "strength"]),
            "KSampler": NodeClass(["model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative", "latent_image", "denoise"]),
            "VAEDecode": NodeClass(["samples", "vae"]),
            "LTXVAudioVAEDecode": NodeClass(["samples", "audio_vae"]),
        ])

    /// What ComfyUI answers a prompt it refuses: the 400 body's `error` and `node_errors`.
    struct Refusal: Error, Sendable {
        let type: String
        let message: String
        let details: String
        /// Node id → (class, errors as `(type, message, details, input name)`).
        let nodeErrors: [String: (String, [(String, String, String, String)])]

        init(_ type: String, _ message: String, details: String = "", nodeErrors: [String: (String, [(String, String, String, String)])] = [:]) {
            self.type = type
            self.message = message
            self.details = details
            self.nodeErrors = nodeErrors
        }
    }

    /// What a valid workflow renders.
    struct Render: Sendable {
        /// The output node that saves the video, and the key it lists it under (`images` or `gifs`).
        let outputNode: String
        let outputKey: String
        let filenamePrefix: String
        let pattern: TestPattern
        let content: VideoContent
        /// Set when the workflow is accepted but fails when it runs (SaveVideo without `format`).
        let runtimeError: String?
    }

    /// Checks a prompt as ComfyUI's validation does and works out what it renders. `uploads` are the names in the
    /// input folder.
    func check(_ prompt: [String: Any], uploads: [String: [UInt8]]) throws(Refusal) -> Render {
        var nodeErrors: [String: (String, [(String, String, String, String)])] = [:]
        var outputs: [String] = []
        for id in prompt.keys.sorted() {
            guard let node = prompt[id] as? [String: Any], let type = node["class_type"] as? String else {
                throw Refusal("invalid_prompt", "Cannot execute because a node is missing the class_type property.", details: "Node ID '#\(id)'")
            }
            guard let known = classes[type] else {
                throw Refusal("missing_node_type", "Node '\(type)' not found. The custom node may not be installed.", details: "Node ID '#\(id)'")
            }
            if known.output { outputs.append(id) }
            let inputs = node["inputs"] as? [String: Any] ?? [:]
            var errors: [(String, String, String, String)] = []
            for name in known.required where inputs[name] == nil {
                errors.append(("required_input_missing", "Required input is missing", name, name))
            }
            for (name, folder) in known.lists.sorted(by: { $0.key < $1.key }) {
                guard let value = inputs[name] as? String else { continue }
                let list = folder == "input" ? Array(uploads.keys).sorted() : (modelFiles[folder] ?? [])
                if !list.contains(value) {
                    errors.append(("value_not_in_list", "Value not in list", "\(name): '\(value)' not in \(list)", name))
                }
            }
            for (name, value) in inputs {
                if let link = value as? [Any], link.count == 2, let target = link[0] as? String, prompt[target] == nil {
                    errors.append(("invalid_input_type", "Bad linked input, must be a length-2 list of [node_id, slot_index]", "\(name): node \(target) does not exist", name))
                }
            }
            if !errors.isEmpty { nodeErrors[id] = (type, errors) }
        }
        guard !outputs.isEmpty else {
            throw Refusal("prompt_no_outputs", "Prompt has no outputs", details: "")
        }
        if !nodeErrors.isEmpty {
            throw Refusal("prompt_outputs_failed_validation", "Prompt outputs failed validation", nodeErrors: nodeErrors)
        }
        guard let outputNode = outputs.first, let save = prompt[outputNode] as? [String: Any], let saveType = save["class_type"] as? String,
              let saveInputs = save["inputs"] as? [String: Any] else {
            throw Refusal("prompt_no_outputs", "Prompt has no outputs")
        }
        let prefix = saveInputs["filename_prefix"] as? String ?? "ComfyUI"
        var fps = 24.0
        var imagesLink: Any?
        var audioLink: Any?
        var runtimeError: String?
        if saveType == "SaveVideo" {
            guard let create = linkedNode(saveInputs["video"], in: prompt), create.type == "CreateVideo" else {
                throw Refusal("prompt_outputs_failed_validation", "Prompt outputs failed validation", details: "SaveVideo.video must come from CreateVideo")
            }
            fps = number(create.inputs["fps"]) ?? fps
            imagesLink = create.inputs["images"]
            audioLink = create.inputs["audio"]
            if saveInputs["format"] == nil { runtimeError = "SaveVideo: missing input 'format'" }
        } else {
            fps = number(saveInputs["frame_rate"]) ?? fps
            imagesLink = saveInputs["images"]
            audioLink = saveInputs["audio"]
        }
        guard let shape = shape(of: imagesLink, in: prompt), shape.width > 0, shape.height > 0, shape.frames > 0,
              shape.width % 2 == 0, shape.height % 2 == 0, fps >= 1, fps <= 240 else {
            throw Refusal("prompt_outputs_failed_validation", "Prompt outputs failed validation",
                          details: "the video's frames have no size, an odd size or no frame count the simulator can read")
        }
        guard shape.frames <= 1_000, shape.width <= 4096, shape.height <= 4096 else {
            throw Refusal("prompt_outputs_failed_validation", "Prompt outputs failed validation", details: "more frames or pixels than the simulated GPU holds")
        }
        let rate = Rational(Int(fps.rounded()), 1)
        let pattern = TestPattern(width: shape.width, height: shape.height, fps: rate, frameCount: shape.frames, audio: audioLink != nil)
        var content = VideoContent.standard
        if shape.solid {
            content.picture = shape.color == 0 ? .black : .frozen
        }
        if let image = shape.startImage, let bytes = uploads[image] { content.startImage = StartImage(bytes) }
        if let audio = linkedNode(audioLink, in: prompt), audio.type == "EmptyAudio" { content.sound = .silence }
        return Render(outputNode: outputNode, outputKey: saveType == "SaveVideo" ? "images" : "gifs", filenamePrefix: prefix,
                      pattern: pattern, content: content, runtimeError: runtimeError)
    }

    /// The size and frame count of the images a link carries, found by walking upstream to the node that sets them.
    private func shape(of link: Any?, in prompt: [String: Any]) -> (width: Int, height: Int, frames: Int, solid: Bool, color: Int, startImage: String?)? {
        var queue: [Any?] = [link]
        var seen = Set<String>()
        var startImage: String?
        var found: (width: Int, height: Int, frames: Int, solid: Bool, color: Int)?
        var scaled: (Int, Int)?
        var repeated: Int?
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard let node = linkedNode(next, in: prompt), seen.insert(node.id).inserted else { continue }
            let inputs = node.inputs
            switch node.type {
            case "EmptyImage":
                if let w = integer(inputs["width"]), let h = integer(inputs["height"]), let n = integer(inputs["batch_size"]) {
                    found = found ?? (w, h, n, true, integer(inputs["color"]) ?? 0)
                }
            case "EmptyLTXVLatentVideo", "LTXVImgToVideo":
                if let w = integer(inputs["width"]), let h = integer(inputs["height"]), let n = integer(inputs["length"]) {
                    found = found ?? (w, h, n, false, 0)
                }
            case "ImageScale":
                if let w = integer(inputs["width"]), let h = integer(inputs["height"]) { scaled = scaled ?? (w, h) }
            case "RepeatImageBatch":
                repeated = repeated ?? integer(inputs["amount"])
            case "LoadImage":
                startImage = startImage ?? inputs["image"] as? String
            default:
                break
            }
            if node.type.hasPrefix("LTXV") && node.type.contains("Audio") { continue }
            for key in inputs.keys.sorted() { queue.append(inputs[key]) }
        }
        if let found { return (found.width, found.height, found.frames, found.solid, found.color, startImage) }
        if let (w, h) = scaled, let frames = repeated { return (w, h, frames, true, 1, startImage) }
        return nil
    }

    private func linkedNode(_ link: Any?, in prompt: [String: Any]) -> (id: String, type: String, inputs: [String: Any])? {
        guard let pair = link as? [Any], pair.count == 2, let id = pair[0] as? String, let node = prompt[id] as? [String: Any],
              let type = node["class_type"] as? String else { return nil }
        return (id, type, node["inputs"] as? [String: Any] ?? [:])
    }

    private func integer(_ value: Any?) -> Int? {
        guard let double = number(value), double.rounded() == double, abs(double) < 1e9 else { return nil }
        return Int(double)
    }

    private func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, number.doubleValue.isFinite else { return nil }
        return number.doubleValue
    }

    /// Nominal seconds the simulated GPU takes for a render: 2 s plus 0.05 s per frame.
    static func seconds(for pattern: TestPattern) -> Double { 2 + Double(pattern.frameCount) * 0.05 }

    /// True for a lowercase UUID (the `prompt_id` a client may choose).
    static func isPromptID(_ text: String) -> Bool {
        guard text == text.lowercased(), let uuid = UUID(uuidString: text) else { return false }
        return uuid.uuidString.lowercased() == text
    }
}
