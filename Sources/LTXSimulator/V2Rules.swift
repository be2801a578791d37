import Foundation

/// The simulator's own reading of ltx-api-v2-facts.md (November 2026): fields, current and removed models, resolutions,
/// rates and durations per model, input limits; prices come from ``LTXV2PriceList``.
///
/// Deliberately independent of the client's catalog and validator, so that each checks the other.
struct V2Rules: Sendable {
    /// The rules the simulator serves.
    static let standard = V2Rules()

    let defaultFPS = 24
    /// Audio-to-video output rate.
    let audioToVideoFPS = 25
    let defaultAudioModel = V2Model.ltx23Pro
    let audioModels: [V2Model] = [.ltx23Pro]
    let audioResolutions: [V2Resolution] = [.landscape1080, .portrait1080]
    let defaultAudioResolution = V2Resolution.landscape1080
    /// `guidance_scale` (audio-to-video) bounds and defaults without and with an image.
    let guidanceScales: ClosedRange<Double> = 1...50
    let defaultGuidanceScale = 5.0
    let defaultGuidanceScaleWithImage = 9.0
    /// The longest prompt, in Unicode scalars.
    let maxPromptCharacters = 5_000
    /// Every duration offered (seconds).
    let durations = [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20]
    /// Pro models, and fast ones outside 720p/1080p at 24/25 fps, stop here.
    let shortDurationLimit = 10
    /// Models the service removed on 2026-08-15, with the model to use instead.
    let removedModels = ["ltx-2-fast": V2Model.ltx23Fast, "ltx-2-pro": V2Model.ltx23Pro]
    let removalDate = "2026-08-15"
    let cameraMotions = ["dolly_in", "dolly_out", "dolly_left", "dolly_right", "jib_up", "jib_down", "static", "focus_shift"]
    /// Input audio length for audio-to-video, seconds.
    let audioSeconds: ClosedRange<Double> = 2...20
    /// `ltx://uploads/...` files (decimal megabytes, like the reference's limits).
    let maxUploadBytes = 100_000_000
    /// A `data:` URI carrying an image, counted encoded.
    let maxInlineImageBytes = 7_000_000
    /// A `data:` URI carrying audio, counted encoded.
    let maxInlineAudioBytes = 15_000_000
    /// The largest submit body read: two inline inputs at their limits and room for the other fields.
    var maxSubmitBodyBytes: Int { maxInlineAudioBytes + maxInlineImageBytes + 1_000_000 }

    /// The fields each mode takes; any other field is refused.
    func fields(for mode: GenerationMode) -> Set<String> {
        let video: Set<String> = ["prompt", "model", "duration", "resolution", "fps", "generate_audio", "camera_motion"]
        switch mode {
        case .textToVideo: return video
        case .imageToVideo: return video.union(["image_uri", "last_frame_uri"])
        case .audioToVideo: return ["audio_uri", "image_uri", "prompt", "resolution", "guidance_scale", "model"]
        }
    }

    /// The resolutions `model` renders (`ltx-2-5-pro`: 720p and 1080p only).
    func resolutions(for model: V2Model) -> [V2Resolution] {
        model == .ltx25Pro ? V2Resolution.allCases.filter { $0.tier == .p720 || $0.tier == .p1080 } : V2Resolution.allCases
    }

    /// The frame rates `model` renders (`ltx-2-5-pro`: no 48).
    func frameRates(for model: V2Model) -> [Int] {
        model == .ltx25Pro ? [24, 25, 50] : [24, 25, 48, 50]
    }

    /// Cost in millionths of a USD, nil when `prices` does not know it: per second of video, or for audio-to-video
    /// per second of input audio (fractions of a second billed pro rata).
    func cost(of spec: V2Spec, prices: LTXV2PriceList) -> Int64? {
        if spec.mode == .audioToVideo {
            guard let perSecond = prices.audioToVideoPerSecond[spec.request.model.rawValue] else { return nil }
            return Self.micro(perSecond * (spec.audioSeconds ?? 0))
        }
        guard let perSecond = prices.price(model: spec.request.model.rawValue, tier: spec.request.resolution.tier.rawValue) else {
            return nil
        }
        return Self.micro(perSecond * spec.outputSeconds)
    }

    /// The durations allowed for a model, resolution and rate, and the rule's name for messages.
    /// Image-to-video follows the same matrix as text-to-video.
    func allowedDurations(model: V2Model, resolution: V2Resolution, fps: Int) -> ([Int], String) {
        if model.isPro {
            return (durations.filter { $0 <= shortDurationLimit }, "for \(model.rawValue)")
        }
        if resolution.tier == .p720 || resolution.tier == .p1080, fps == 24 || fps == 25 {
            return (durations, "for \(model.rawValue) at \(resolution.rawValue) and \(fps) fps")
        }
        return (
            durations.filter { $0 <= shortDurationLimit },
            "for \(model.rawValue) at \(resolution.rawValue) and \(fps) fps (above \(shortDurationLimit) s only 720p or 1080p at 24 or 25 fps)"
        )
    }

    /// The length an `ltx-2-5-*` "auto" request gets: one of the allowed durations up to 10 s, drawn with `random`.
    func chooseDuration(for request: V2Request, using random: inout SeededGenerator) -> Int {
        let (allowed, _) = allowedDurations(model: request.model, resolution: request.resolution, fps: request.fps)
        let choices = allowed.filter { $0 <= shortDurationLimit }
        return choices.randomElement(using: &random) ?? 6
    }

    private static func micro(_ dollars: Double) -> Int64? {
        guard dollars.isFinite, dollars >= 0, dollars < 1e12 else { return nil }
        return Int64((dollars * 1_000_000).rounded())
    }

    /// Parses and checks a submit body; the first broken rule is thrown (400) with a message naming it.
    ///
    /// Order: body, unknown fields, then each field in the order of the document. Input URIs are only checked for
    /// presence here; ``V2InputResolver`` reads them.
    func parse(_ body: [UInt8], contentType: String?, mode: GenerationMode) throws(SimulatorError) -> V2Request {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard mediaType.isEmpty || mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw .invalid("Content-Type \(mediaType) is not supported; send a JSON object as application/json")
        }
        let object = try Self.object(body)
        let allowed = fields(for: mode)
        if mode == .audioToVideo, object["duration"] != nil {
            throw .invalid("audio-to-video has no duration field: the video is as long as the audio; remove duration")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid("unknown field \"\(unknown)\" for \(mode.rawValue); allowed fields: \(allowed.sorted().joined(separator: ", "))")
        }
        let fields = V2Fields(object)

        let prompt = try fields.string("prompt")
        if let prompt, prompt.unicodeScalars.count > maxPromptCharacters {
            throw .invalid("prompt is \(prompt.unicodeScalars.count) characters long; at most \(maxPromptCharacters) are allowed")
        }
        let imageURI = try fields.string("image_uri")
        if mode != .audioToVideo || imageURI == nil {
            guard let prompt, !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .invalid(mode == .audioToVideo
                    ? "prompt is required for audio-to-video without image_uri and must not be empty"
                    : "prompt is required and must not be empty")
            }
        }

        let model: V2Model
        switch try fields.string("model") {
        case nil:
            guard mode == .audioToVideo else {
                throw .invalid("model is required; use \(Self.list(V2Model.allCases.map(\.rawValue)))")
            }
            model = defaultAudioModel
        case let name?:
            if let replacement = removedModels[name] {
                throw .invalid("model \"\(name)\" was removed on \(removalDate); use \(replacement.rawValue)")
            }
            guard let parsed = V2Model(rawValue: name) else {
                throw .invalid("model \"\(name)\" is not supported; use \(Self.list(V2Model.allCases.map(\.rawValue)))")
            }
            model = parsed
        }
        if mode == .audioToVideo, !audioModels.contains(model) {
            throw .invalid("audio-to-video supports only \(Self.list(audioModels.map(\.rawValue))), got \(model.rawValue)")
        }

        let resolution: V2Resolution
        var resolutionGiven = true
        switch try fields.string("resolution") {
        case nil:
            guard mode == .audioToVideo else {
                throw .invalid("resolution is required; use \(Self.list(resolutions(for: model).map(\.rawValue)))")
            }
            resolution = defaultAudioResolution
            resolutionGiven = false
        case let name?:
            guard let parsed = V2Resolution(rawValue: name) else {
                throw .invalid("resolution \"\(name)\" is not supported; use \(Self.list(V2Resolution.allCases.map(\.rawValue)))")
            }
            resolution = parsed
        }
        if mode == .audioToVideo {
            if !audioResolutions.contains(resolution) {
                throw .invalid("audio-to-video supports only \(Self.list(audioResolutions.map(\.rawValue))), got \(resolution.rawValue)")
            }
        } else if !resolutions(for: model).contains(resolution) {
            throw .invalid(
                "resolution \(resolution.rawValue) is not offered by \(model.rawValue); use \(Self.list(resolutions(for: model).map(\.rawValue)))")
        }

        var request = V2Request(
            mode: mode, prompt: prompt, model: model, resolution: resolution, resolutionGiven: resolutionGiven, duration: nil,
            fps: audioToVideoFPS, generateAudio: true, cameraMotion: nil, guidanceScale: nil, imageURI: imageURI, lastFrameURI: nil,
            audioURI: nil)

        if mode == .audioToVideo {
            if let scale = try fields.number("guidance_scale") {
                guard guidanceScales.contains(scale) else {
                    throw .invalid("guidance_scale \(scale) is outside \(Int(guidanceScales.lowerBound))-\(Int(guidanceScales.upperBound))")
                }
                request.guidanceScale = scale
            } else {
                request.guidanceScale = imageURI == nil ? defaultGuidanceScale : defaultGuidanceScaleWithImage
            }
            guard let audio = try fields.string("audio_uri"), !audio.isEmpty else {
                throw .invalid("audio_uri is required for audio-to-video: an ltx://uploads/... URI, an https:// URL or a data: URI")
            }
            request.audioURI = audio
            return request
        }

        let fps = try fields.integer("fps") ?? defaultFPS
        guard frameRates(for: model).contains(fps) else {
            throw .invalid("fps \(fps) is not offered by \(model.rawValue); use \(Self.list(frameRates(for: model).map(String.init)))")
        }
        request.fps = fps

        let (offered, rule) = allowedDurations(model: model, resolution: resolution, fps: fps)
        if let duration = try fields.integer("duration") {
            guard offered.contains(duration) else {
                throw .invalid("duration \(duration) is not offered \(rule); use \(Self.list(offered.map(String.init))) s")
            }
            request.duration = duration
        } else if !model.choosesDuration {
            throw .invalid(
                "duration is required for \(model.rawValue): \(Self.list(offered.map(String.init))) s (only ltx-2-5 models take null, \"auto\")")
        }

        request.generateAudio = try fields.bool("generate_audio") ?? true

        if let motion = try fields.string("camera_motion") {
            guard cameraMotions.contains(motion) else {
                throw .invalid("camera_motion \"\(motion)\" is not supported; use \(Self.list(cameraMotions))")
            }
            request.cameraMotion = motion
        }

        if mode == .imageToVideo {
            guard let image = imageURI, !image.isEmpty else {
                throw .invalid("image_uri is required for image-to-video: an ltx://uploads/... URI, an https:// URL or a data: URI")
            }
            if let lastFrame = try fields.string("last_frame_uri") {
                guard model.isLTX23 else {
                    throw .invalid("last_frame_uri is supported only by ltx-2-3-fast and ltx-2-3-pro, not \(model.rawValue)")
                }
                request.lastFrameURI = lastFrame
            }
        }
        return request
    }

    private static func object(_ body: [UInt8]) throws(SimulatorError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw .invalid("request body is not valid JSON; send a JSON object")
        }
        guard case .object(let object) = value else {
            throw .invalid("request body must be a JSON object, got \(value.typeName)")
        }
        return object
    }

    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// Typed access to the fields of a JSON submit; `null` counts as absent, a wrong JSON type is a 400.
private struct V2Fields {
    let object: [String: JSONValue]

    init(_ object: [String: JSONValue]) {
        self.object = object
    }

    func string(_ name: String) throws(SimulatorError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw .invalid("\(name) must be a string, got \(other.typeName)")
        }
    }

    func integer(_ name: String) throws(SimulatorError) -> Int? {
        switch object[name] {
        case nil, .null?:
            return nil
        case .integer(let value)?:
            return value
        case .number(let value)?:
            guard value == value.rounded(), abs(value) < 1e15 else {
                throw .invalid("\(name) must be a whole number, got \(value)")
            }
            return Int(value)
        case let other?:
            throw .invalid("\(name) must be a whole number, got \(other.typeName)")
        }
    }

    func number(_ name: String) throws(SimulatorError) -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case .integer(let value)?: return Double(value)
        case .number(let value)? where value.isFinite: return value
        case let other?: throw .invalid("\(name) must be a number, got \(other.typeName)")
        }
    }

    func bool(_ name: String) throws(SimulatorError) -> Bool? {
        switch object[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw .invalid("\(name) must be true or false, got \(other.typeName)")
        }
    }
}
