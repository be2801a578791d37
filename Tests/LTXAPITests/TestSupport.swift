import Foundation
@testable import LTXAPI

/// Builders shared by the LTXAPI suites.
enum Support {
    static let validator = RequestValidator()

    /// Parameters with every field given explicitly (no catalog defaults involved).
    static func parameters(
        _ mode: GenerationMode = .textToVideo, model: String = "ltx-2-fast", resolution: String = "1920x1080",
        duration: Int = 6, fps: Int = 25, prompt: String = "a red kite over the sea"
    ) -> GenerationParameters {
        GenerationParameters(
            mode: mode, prompt: prompt, model: model, resolution: Resolution(parsing: resolution), duration: duration, fps: fps
        )
    }

    /// The parameters at fault, in order.
    static func faults(_ parameters: GenerationParameters) -> [String] {
        validator.violations(parameters).map(\.parameter)
    }

    /// Every message, joined.
    static func messages(_ parameters: GenerationParameters) -> String {
        validator.violations(parameters).map(\.message).joined(separator: " | ")
    }
}
