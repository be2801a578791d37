import Foundation
import LTXAPI
import LTXGeneration

/// Per-job overrides from a `NAME.json` sidecar.
public struct Sidecar: Sendable, Codable, Equatable {
    /// The prompt.
    public var prompt: String?
    /// `text-to-video`, `image-to-video` or `audio-to-video`.
    public var mode: String?
    /// Model name.
    public var model: String?
    /// `WIDTHxHEIGHT`.
    public var resolution: String?
    /// Seconds, or `"auto"`.
    public var duration: DurationChoice?
    /// Frames per second.
    public var fps: Int?
    /// Seed.
    public var seed: Int?
    /// Generate even when an identical job was archived before.
    public var force: Bool?
    /// Give the video a soundtrack (ltx-v2).
    public var generateAudio: Bool?
    /// Camera motion preset (ltx-v2).
    public var cameraMotion: String?
    /// Guidance scale for audio-to-video (ltx-v2).
    public var guidanceScale: Double?
    /// The provider (of the pipeline's `api.providers`) this job must go to.
    public var provider: String?

    enum CodingKeys: String, CodingKey {
        case prompt, mode, model, resolution, duration, fps, seed, force, provider
        case generateAudio = "generate_audio", cameraMotion = "camera_motion", guidanceScale = "guidance_scale"
    }

    static let keys: Set<String> = ["prompt", "mode", "model", "resolution", "duration", "fps", "seed", "force", "generate_audio", "camera_motion", "guidance_scale", "provider"]

    /// Parses a sidecar, refusing unknown keys and wrong types with a reason.
    public static func parse(_ data: Data, name: String) -> Result<Sidecar, JobRejection> {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .failure(JobRejection(reason: "bad-sidecar", detail: "\(name) is not a JSON object"))
        }
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            return .failure(JobRejection(reason: "bad-sidecar", detail: "\(name): unknown key \"\(unknown)\" (allowed: \(keys.sorted().joined(separator: ", ")))"))
        }
        do {
            return .success(try JSONDecoder().decode(Sidecar.self, from: data))
        } catch {
            return .failure(JobRejection(reason: "bad-sidecar", detail: "\(name): wrong type of value (\(error.localizedDescription))"))
        }
    }
}

/// Why a dropped group cannot become a job.
public struct JobRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Short machine word for the ledger (`unsupported-file`, `bad-sidecar`, ...).
    public var reason: String
    /// A sentence for the person who dropped the files.
    public var detail: String

    /// `reason: detail`.
    public var description: String { "\(reason): \(detail)" }
}

/// What a claimed group asks for: mode, prompt, parameters and which file plays which part.
public struct JobSpec: Sendable, Equatable {
    /// The generation parameters.
    public var parameters: GenerationParameters
    /// The start image's file name, for image-to-video.
    public var image: String?
    /// The soundtrack's file name, for audio-to-video.
    public var audio: String?
    /// The sidecar's `force`.
    public var force: Bool
    /// Set when `fit: auto` chose the preset of the start image's orientation: says so for the log.
    public var orientationNote: String? = nil
    /// The provider the sidecar names, if any.
    public var provider: String? = nil

    /// Builds the spec of a group by the drop conventions, or says why it cannot be a job.
    /// `imageSize` gives an image's displayed size (EXIF orientation applied) by file name, from its header: an
    /// audio-to-video job with a start image and no resolution asked gets the preset of the image's orientation.
    public static func make(
        files: [JobInput], readText: (String) -> Data?, imageSize: (String) -> (width: Int, height: Int)? = { _ in nil },
        configuration: PipelineConfiguration, catalog: Catalog
    ) -> Result<JobSpec, JobRejection> {
        if let link = files.first(where: { $0.role == .unknown && readText($0.name) == nil }) {
            return .failure(JobRejection(reason: "unsupported-file", detail: "\(link.name) is not a regular file or cannot be read"))
        }
        if let unknown = files.first(where: { $0.role == .unknown }) {
            let ext = (unknown.name as NSString).pathExtension
            return .failure(JobRejection(reason: "unsupported-file", detail: "\(unknown.name): .\(ext.isEmpty ? "(none)" : ext) files are not taken (images, audio, .txt prompts and .json sidecars only)"))
        }
        let images = files.filter { $0.role == .image }
        let audios = files.filter { $0.role == .audio }
        if images.count > 1 || audios.count > 1 {
            return .failure(JobRejection(reason: "ambiguous-inputs", detail: "more than one image or audio file shares this name"))
        }
        var sidecar = Sidecar()
        if let file = files.first(where: { $0.role == .sidecar }) {
            guard let data = readText(file.name) else { return .failure(JobRejection(reason: "bad-sidecar", detail: "\(file.name) cannot be read")) }
            switch Sidecar.parse(data, name: file.name) {
            case .success(let parsed): sidecar = parsed
            case .failure(let rejection): return .failure(rejection)
            }
        }
        var prompt = sidecar.prompt
        if prompt == nil, let file = files.first(where: { $0.role == .prompt }), let data = readText(file.name) {
            prompt = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if prompt?.isEmpty ?? true {
                return .failure(JobRejection(reason: "empty-prompt", detail: "\(file.name) is empty: write the prompt in it (an empty prompt file is never replaced by the pipeline's prompt)"))
            }
        }
        if prompt?.isEmpty ?? true { prompt = configuration.prompt }
        guard let prompt, !prompt.isEmpty else {
            return .failure(JobRejection(reason: "no-prompt", detail: "no prompt: add NAME.txt, a sidecar prompt, or a pipeline prompt"))
        }

        let mode: GenerationMode
        if let text = sidecar.mode {
            guard let parsed = GenerationMode(rawValue: text) else {
                return .failure(JobRejection(reason: "bad-sidecar", detail: "mode \"\(text)\" is not text-to-video, image-to-video or audio-to-video"))
            }
            mode = parsed
        } else if !images.isEmpty && !audios.isEmpty {
            return .failure(JobRejection(reason: "ambiguous-inputs", detail: "both an image and an audio file: say the mode in a sidecar (image-to-video, or audio-to-video where the service takes a start image with the audio)"))
        } else {
            mode = !images.isEmpty ? .imageToVideo : !audios.isEmpty ? .audioToVideo : .textToVideo
        }
        if mode == .imageToVideo && images.isEmpty { return .failure(JobRejection(reason: "missing-input", detail: "image-to-video needs an image named like the group")) }
        if mode == .audioToVideo && audios.isEmpty { return .failure(JobRejection(reason: "missing-input", detail: "audio-to-video needs an audio file named like the group")) }

        var resolution = configuration.defaults.resolution
        if let text = sidecar.resolution {
            guard let parsed = Resolution(parsing: text) else { return .failure(JobRejection(reason: "bad-sidecar", detail: "resolution \"\(text)\" is not WIDTHxHEIGHT")) }
            resolution = parsed
        }
        let modeRule = catalog.modeRules.first { $0.mode == mode }
        let startImage = mode == .imageToVideo || (mode == .audioToVideo && modeRule?.optionalImage == true) ? images.first?.name : nil
        if mode == .audioToVideo, !images.isEmpty, startImage == nil {
            return .failure(JobRejection(reason: "ambiguous-inputs", detail: "audio-to-video takes no start image on this service: remove the image or make it image-to-video"))
        }
        var model = sidecar.model ?? configuration.defaults.model
        if sidecar.model == nil, let allowed = modeRule?.models, let chosen = model, !allowed.contains(chosen) { model = allowed.first }
        if sidecar.resolution == nil, let allowed = modeRule?.resolutions, let chosen = resolution, !allowed.contains(chosen) { resolution = allowed.first }
        var parameters = GenerationParameters(
            mode: mode, prompt: prompt, model: model, resolution: resolution,
            choice: sidecar.duration ?? configuration.defaults.duration,
            fps: sidecar.fps ?? (modeRule?.fixedFps == nil ? configuration.defaults.fps : nil),
            seed: sidecar.seed, generateAudio: sidecar.generateAudio, cameraMotion: sidecar.cameraMotion, guidanceScale: sidecar.guidanceScale,
            catalog: catalog
        )
        var orientation: OrientedPreset? = nil
        // The preset of the start image's orientation: with `fit: auto` when no resolution was set anywhere, and always
        // where the service itself follows the image (audio-to-video on ltx-v2) unless the sidecar names one.
        let followsImage = modeRule?.optionalImage == true
        if sidecar.resolution == nil, followsImage || (configuration.fit == .auto && configuration.defaults.resolution == nil),
           let startImage, let size = imageSize(startImage) {
            orientation = OrientedPreset.choose(for: parameters, imageWidth: size.width, imageHeight: size.height, catalog: catalog)
            if let orientation { parameters.resolution = orientation.resolution }
        }
        let violations = RequestValidator(catalog: catalog).violations(parameters)
        if !violations.isEmpty {
            return .failure(JobRejection(reason: "invalid-request", detail: violations.map(\.message).joined(separator: "; ")))
        }
        return .success(JobSpec(
            parameters: parameters, image: startImage,
            audio: mode == .audioToVideo ? audios.first?.name : nil, force: sidecar.force ?? false,
            orientationNote: orientation?.note, provider: sidecar.provider
        ))
    }
}
