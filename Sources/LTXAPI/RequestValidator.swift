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
        }
        guard let model = catalog.model(parameters.model) else {
            found.append(RequestViolation(parameter: "model", message: "model \(parameters.model) is not one of \(catalog.models.map(\.name).joined(separator: ", "))"))
            return found
        }
        if !model.modes.contains(parameters.mode) {
            let allowed = catalog.models.filter { $0.modes.contains(parameters.mode) }.map(\.name)
            found.append(RequestViolation(parameter: "model", message: "\(parameters.mode.rawValue) needs model \(allowed.joined(separator: " or ")), not \(parameters.model)"))
        }
        if !catalog.resolutions.contains(parameters.resolution) {
            found.append(RequestViolation(parameter: "resolution", message: "resolution \(parameters.resolution) is not one of \(catalog.resolutions.map(\.description).joined(separator: ", "))"))
        }
        if let rule = catalog.modeRules.first(where: { $0.mode == parameters.mode }) {
            if let models = rule.models, !models.contains(parameters.model), model.modes.contains(parameters.mode) {
                found.append(RequestViolation(parameter: "model", message: "\(parameters.mode.rawValue) needs model \(models.joined(separator: " or ")), not \(parameters.model)"))
            }
            if let resolutions = rule.resolutions, !resolutions.contains(parameters.resolution) {
                found.append(RequestViolation(parameter: "resolution", message: "\(parameters.mode.rawValue) needs resolution \(resolutions.map(\.description).joined(separator: " or ")), not \(parameters.resolution)"))
            }
        }
        if let fixed = catalog.modeRule(parameters.mode)?.fixedFps {
            if parameters.fps != fixed {
                found.append(RequestViolation(parameter: "fps", message: "\(parameters.mode.rawValue) output is always \(fixed) fps, not \(parameters.fps)"))
            }
        } else if !catalog.fps.contains(parameters.fps) {
            found.append(RequestViolation(parameter: "fps", message: "fps \(parameters.fps) is not one of \(catalog.fps.map(String.init).joined(separator: ", "))"))
        }
        if let rule = catalog.durationRule(mode: parameters.mode, model: parameters.model, resolution: parameters.resolution, fps: parameters.fps),
           !(rule.min...rule.max).contains(parameters.duration) {
            found.append(RequestViolation(parameter: "duration", message: "duration \(parameters.duration) is outside \(rule.min)–\(rule.max) for \(rule.note)"))
        }
        if hasLastFrame && !(catalog.supports("last_frame_uri") && parameters.mode == .imageToVideo && catalog.model(parameters.model)?.lastFrame == true) {
            found.append(RequestViolation(parameter: "last_frame", message: "a last frame needs image-to-video on a model that takes one (\(catalog.models.filter { $0.lastFrame == true }.map(\.name).joined(separator: ", ")))"))
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
        if parameters.guidanceScale != nil && !(catalog.supports("guidance_scale") && parameters.mode == .audioToVideo) {
            found.append(RequestViolation(parameter: "guidance_scale", message: "guidance scale goes only with audio-to-video in the ltx-v2 protocol"))
        }
        if parameters.generateAudio == false && !catalog.supports("generate_audio") {
            found.append(RequestViolation(parameter: "generate_audio", message: "the \(catalog.dialect) protocol cannot turn audio off"))
        }
        return found
    }

    /// Advice that does not stop the request (a deprecated model).
    public func warnings(_ parameters: GenerationParameters) -> [String] {
        guard let replacement = catalog.model(parameters.model)?.deprecatedBy else { return [] }
        return ["model \(parameters.model) is deprecated; \(replacement) replaces it"]
    }

    /// Estimated cost in USD: the model's price per second at the resolution times the duration.
    public func estimatedCost(_ parameters: GenerationParameters) -> Double? {
        guard let price = catalog.model(parameters.model)?.pricePerSecond[parameters.resolution.description] else { return nil }
        return (price * Double(parameters.duration) * 10_000).rounded() / 10_000
    }
}
