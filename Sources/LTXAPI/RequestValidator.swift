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
    public func violations(_ parameters: GenerationParameters) -> [RequestViolation] {
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
        if !catalog.fps.contains(parameters.fps) {
            found.append(RequestViolation(parameter: "fps", message: "fps \(parameters.fps) is not one of \(catalog.fps.map(String.init).joined(separator: ", "))"))
        }
        if let rule = catalog.durationRule(mode: parameters.mode, model: parameters.model, resolution: parameters.resolution, fps: parameters.fps),
           !(rule.min...rule.max).contains(parameters.duration) {
            found.append(RequestViolation(parameter: "duration", message: "duration \(parameters.duration) is outside \(rule.min)–\(rule.max) for \(rule.note)"))
        }
        return found
    }

    /// Estimated cost in USD: the model's price per second at the resolution times the duration.
    public func estimatedCost(_ parameters: GenerationParameters) -> Double? {
        guard let price = catalog.model(parameters.model)?.pricePerSecond[parameters.resolution.description] else { return nil }
        return (price * Double(parameters.duration) * 10_000).rounded() / 10_000
    }
}
