import Foundation

/// One rule of the catalog a request breaks.
public struct RequestViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter at fault (`model`, `resolution`, `duration`, `fps`, `prompt`).
    public var parameter: String
    /// What is wrong and what is allowed.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// Checks generation parameters against a catalog before anything is spent.
public struct RequestValidator: Sendable {
    /// The catalog checked against.
    public let catalog: Catalog

    /// A validator for `catalog`.
    public init(catalog: Catalog = .generations) { self.catalog = catalog }

    /// Every rule `parameters` breaks; empty when the request is valid.
    public func violations(_ parameters: GenerationParameters, hasLastFrame: Bool = false) -> [RequestViolation] {
        var found: [RequestViolation] = []
        if parameters.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            found.append(RequestViolation(parameter: "prompt", message: "prompt is empty"))
        } else if let limit = catalog.promptMaxCharacters, parameters.prompt.count > limit {
            found.append(RequestViolation(parameter: "prompt", message: "prompt is \(parameters.prompt.count) characters; at most \(limit)"))
        }
        guard let model = catalog.model(parameters.model) else {
            found.append(RequestViolation(parameter: "model", message: "model \(parameters.model) is not one of \(catalog.offeredModels.map(\.name).joined(separator: ", "))"))
            return found
        }
        if model.status == .removed {
            let when = model.removedOn.map { " on \($0)" } ?? ""
            let instead = catalog.replacement(for: model.name).map { "; use \($0) instead" } ?? "; choose one of \(catalog.offeredModels.map(\.name).joined(separator: ", "))"
            found.append(RequestViolation(parameter: "model", message: "model \(model.name) was removed from the \(catalog.dialect) service\(when)\(instead)"))
            return found
        }
        let rule = catalog.modeRule(parameters.mode)
        if !model.modes.contains(parameters.mode) {
            let allowed = catalog.offeredModels.filter { $0.modes.contains(parameters.mode) }.map(\.name)
            found.append(RequestViolation(parameter: "model", message: "\(parameters.mode.rawValue) needs model \(allowed.joined(separator: " or ")), not \(parameters.model)"))
        } else if let models = rule?.models, !models.contains(parameters.model) {
            found.append(RequestViolation(parameter: "model", message: "\(parameters.mode.rawValue) needs model \(models.joined(separator: " or ")), not \(parameters.model)"))
        }
        if let resolutions = rule?.resolutions {
            if !resolutions.contains(parameters.resolution) {
                found.append(RequestViolation(parameter: "resolution", message: "\(parameters.mode.rawValue) needs resolution \(resolutions.map(\.description).joined(separator: " or ")), not \(parameters.resolution)"))
            }
        } else if !model.resolutions.contains(parameters.resolution) {
            let which = model.resolutions == catalog.resolutions ? "" : " for \(model.name)"
            found.append(RequestViolation(parameter: "resolution", message: "resolution \(parameters.resolution) is not one of \(model.resolutions.map(\.description).joined(separator: ", "))\(which)"))
        }
        if let fixed = rule?.fixedFps {
            if parameters.fps != fixed {
                found.append(RequestViolation(parameter: "fps", message: "\(parameters.mode.rawValue) output is always \(fixed) fps, not \(parameters.fps)"))
            }
        } else if !model.fps.contains(parameters.fps) {
            let which = model.fps == catalog.fps ? "" : " for \(model.name)"
            found.append(RequestViolation(parameter: "fps", message: "fps \(parameters.fps) is not one of \(model.fps.map(String.init).joined(separator: ", "))\(which)"))
        }
        if let violation = durationViolation(parameters, rule: rule) { found.append(violation) }
        if hasLastFrame && !(catalog.supports("last_frame_uri") && parameters.mode == .imageToVideo && model.lastFrame) {
            found.append(RequestViolation(parameter: "last_frame", message: "a last frame needs image-to-video on a model that takes one (\(catalog.offeredModels.filter(\.lastFrame).map(\.name).joined(separator: ", ")))"))
        }
        if parameters.seed != nil && catalog.supportsSeed == false {
            found.append(RequestViolation(parameter: "seed", message: "the \(catalog.dialect) protocol takes no seed"))
        }
        if let motion = parameters.cameraMotion {
            if !catalog.supports("camera_motion") {
                found.append(RequestViolation(parameter: "camera_motion", message: "the \(catalog.dialect) protocol takes no camera motion"))
            } else if !(catalog.cameraMotions ?? []).contains(motion) {
                found.append(RequestViolation(parameter: "camera_motion", message: "camera motion \(motion) is not one of \((catalog.cameraMotions ?? []).joined(separator: ", "))"))
            }
        }
        if let scale = parameters.guidanceScale {
            if !(catalog.supports("guidance_scale") && parameters.mode == .audioToVideo) {
                found.append(RequestViolation(parameter: "guidance_scale", message: "guidance scale goes only with audio-to-video in the ltx-v2 protocol"))
            } else if !scale.isFinite || scale < (rule?.minGuidanceScale ?? -.infinity) || scale > (rule?.maxGuidanceScale ?? .infinity) {
                let low = rule?.minGuidanceScale.map { Self.format($0) } ?? "any"
                let high = rule?.maxGuidanceScale.map { Self.format($0) } ?? "any"
                found.append(RequestViolation(parameter: "guidance_scale", message: "guidance scale \(Self.format(scale)) is outside \(low)–\(high)"))
            }
        }
        if parameters.generateAudio == false && !catalog.supports("generate_audio") {
            found.append(RequestViolation(parameter: "generate_audio", message: "the \(catalog.dialect) protocol cannot turn audio off"))
        }
        return found
    }

    /// The duration's fault: outside the mode's audio range when the video follows the audio, else not among the
    /// durations the model offers for this mode, resolution and frame rate.
    private func durationViolation(_ parameters: GenerationParameters, rule: Catalog.ModeRule?) -> RequestViolation? {
        guard let duration = parameters.duration else {
            guard rule?.durationFromAudio != true, catalog.model(parameters.model)?.autoDuration != true else { return nil }
            let offering = catalog.models.filter { $0.autoDuration && $0.status != .removed }.map(\.name)
            return RequestViolation(parameter: "duration", message: "duration auto is not offered by \(parameters.model)"
                + (offering.isEmpty ? "" : "; it is by \(offering.joined(separator: ", "))"))
        }
        if rule?.durationFromAudio == true {
            let low = rule?.minAudioSeconds ?? 0
            let high = rule?.maxAudioSeconds ?? .infinity
            guard Double(duration) < low || Double(duration) > high else { return nil }
            return RequestViolation(parameter: "duration", message: "duration \(duration) is outside \(Self.format(low))–\(Self.format(high)) for \(parameters.mode.rawValue) (the video is as long as the audio)")
        }
        guard let allowed = catalog.allowedDurations(mode: parameters.mode, model: parameters.model, resolution: parameters.resolution, fps: parameters.fps),
              !allowed.durations.contains(duration) else { return nil }
        let durations = Set(allowed.durations).sorted()
        guard let first = durations.first, let last = durations.last else {
            return RequestViolation(parameter: "duration", message: "no duration is offered for \(allowed.note)")
        }
        if last - first + 1 == durations.count {
            return RequestViolation(parameter: "duration", message: "duration \(duration) is outside \(first)–\(last) for \(allowed.note)")
        }
        return RequestViolation(parameter: "duration", message: "duration \(duration) is not one of \(durations.map(String.init).joined(separator: ", ")) for \(allowed.note)")
    }

    /// Advice that does not stop the request (a deprecated model).
    public func warnings(_ parameters: GenerationParameters) -> [String] {
        guard let replacement = catalog.model(parameters.model)?.deprecatedBy else { return [] }
        return ["model \(parameters.model) is deprecated; \(replacement) replaces it"]
    }

    /// The longest length the service may pick for a `duration: auto` request: the most it can charge for.
    public func longestDuration(_ parameters: GenerationParameters) -> Int? {
        catalog.allowedDurations(mode: parameters.mode, model: parameters.model, resolution: parameters.resolution, fps: parameters.fps)?
            .durations.max() ?? catalog.model(parameters.model)?.durations.max()
    }

    /// Estimated cost in USD, or nil when a price it needs is unknown (never 0 for unknown).
    ///
    /// The model's price per second at the resolution's tier times the duration (for `auto`, the longest the
    /// service may pick, so a budget is never exceeded); for audio-to-video whose video
    /// follows the audio, the model's `audio_price` times `audioSeconds` (the input audio's length), so nil
    /// until that length is known. `Catalog.priceKey` names the key a user sets to fill in a missing price.
    public func estimatedCost(_ parameters: GenerationParameters, audioSeconds: Double? = nil) -> Double? {
        guard let model = catalog.model(parameters.model) else { return nil }
        if catalog.local == true { return 0 }
        let price: Double?
        let seconds: Double?
        if parameters.mode == .audioToVideo, catalog.modeRule(.audioToVideo)?.durationFromAudio == true {
            price = model.audioPrice
            seconds = audioSeconds
        } else {
            price = model.prices[parameters.resolution.tier]
            seconds = (parameters.duration ?? longestDuration(parameters)).map(Double.init)
        }
        guard let price, let seconds, price > 0, seconds.isFinite, seconds >= 0 else { return nil }
        let cost = (price * seconds * 10_000).rounded() / 10_000
        return cost.isFinite ? cost : nil
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
