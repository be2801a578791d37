import Foundation

/// The simulator's own reading of ltx-api-v2-facts.md (with the reference's duration ranges and prices, which the
/// v2 document does not give): fields, models, resolutions, rates, durations, input limits and prices.
///
/// Deliberately independent of the client's catalog and validator, so that each checks the other.
struct V2Rules: Sendable {
    /// The rules the simulator serves.
    static let standard = V2Rules()

    let frameRates = [24, 25, 48, 50]
    let defaultFPS = 24
    /// Audio-to-video output rate.
    let audioToVideoFPS = 25
    let defaultAudioModel = V2Model.ltx23Pro
    let audioModels: [V2Model] = [.ltx23Pro, .ltx2Pro]
    let audioResolutions: [V2Resolution] = [.landscape1080, .portrait1080]
    let defaultAudioResolution = V2Resolution.landscape1080
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

    /// Price per second of video in millionths of a USD.
    func pricePerSecond(_ model: V2Model, _ resolution: V2Resolution) -> Int64 {
        switch (model.isPro, resolution.tier) {
        case (false, .hd): return 20_000
        case (false, .quadHD): return 40_000
        case (false, .ultraHD): return 80_000
        case (true, .hd): return 50_000
        case (true, .quadHD): return 100_000
        case (true, .ultraHD): return 200_000
        }
    }

    /// Cost in millionths of a USD: per second of video, or for audio-to-video per second of input audio at the pro
    /// 1080p rate (fractions of a second billed pro rata).
    func cost(of spec: V2Spec) -> Int64 {
        if spec.mode == .audioToVideo {
            let perSecond = pricePerSecond(.ltx23Pro, .landscape1080)
            return Int64((Double(perSecond) * (spec.audioSeconds ?? 0)).rounded())
        }
        return pricePerSecond(spec.request.model, spec.request.resolution) * Int64(spec.request.duration ?? 0)
    }

    /// The allowed durations and the rule's name for messages.
    func durationRange(mode: GenerationMode, model: V2Model, resolution: V2Resolution, fps: Int) -> (ClosedRange<Int>, String) {
        if mode == .imageToVideo { return (6...10, "for image-to-video") }
        if model.isPro { return (6...10, "for \(model.rawValue)") }
        if resolution.tier == .hd, fps <= 25 { return (6...20, "for \(model.rawValue) at \(resolution.rawValue) and \(fps) fps") }
        return (6...10, "for \(model.rawValue) at \(resolution.rawValue) and \(fps) fps")
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
            guard let parsed = V2Model(rawValue: name) else {
                throw .invalid("model \"\(name)\" is not supported; use \(Self.list(V2Model.allCases.map(\.rawValue)))")
            }
            model = parsed
        }
        if mode == .audioToVideo, !audioModels.contains(model) {
            throw .invalid("audio-to-video supports only \(Self.list(audioModels.map(\.rawValue))), got \(model.rawValue)")
        }

        let resolution: V2Resolution
        switch try fields.string("resolution") {
        case nil:
            guard mode == .audioToVideo else {
                throw .invalid("resolution is required; use \(Self.list(V2Resolution.allCases.map(\.rawValue)))")
            }
            resolution = defaultAudioResolution
        case let name?:
            guard let parsed = V2Resolution(rawValue: name) else {
                throw .invalid("resolution \"\(name)\" is not supported; use \(Self.list(V2Resolution.allCases.map(\.rawValue)))")
            }
            resolution = parsed
        }
        if mode == .audioToVideo, !audioResolutions.contains(resolution) {
            throw .invalid("audio-to-video supports only \(Self.list(audioResolutions.map(\.rawValue))), got \(resolution.rawValue)")
        }

        var request = V2Request(
            mode: mode, prompt: prompt, model: model, resolution: resolution, duration: nil, fps: audioToVideoFPS,
            generateAudio: true, cameraMotion: nil, guidanceScale: nil, imageURI: imageURI, lastFrameURI: nil, audioURI: nil)

        if mode == .audioToVideo {
            if let scale = try fields.number("guidance_scale") {
                request.guidanceScale = scale
            }
            guard let audio = try fields.string("audio_uri"), !audio.isEmpty else {
                throw .invalid("audio_uri is required for audio-to-video: an ltx://uploads/... URI, an https:// URL or a data: URI")
            }
            request.audioURI = audio
            return request
        }

        let fps = try fields.integer("fps") ?? defaultFPS
        guard frameRates.contains(fps) else {
            throw .invalid("fps \(fps) is not supported; use \(Self.list(frameRates.map(String.init)))")
        }
        request.fps = fps

        guard let duration = try fields.integer("duration") else {
            throw .invalid("duration is required: a whole number of seconds")
        }
        let (range, rule) = durationRange(mode: mode, model: model, resolution: resolution, fps: fps)
        guard range.contains(duration) else {
            throw .invalid("duration \(duration) is outside \(range.lowerBound)-\(range.upperBound) s \(rule)")
        }
        request.duration = duration

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
