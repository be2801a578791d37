import Foundation

/// The simulator's own reading of APIFree's video API for LTX (providers.md documents the request's fields only; the
/// models, sizes, lengths and rate below are the simulator's, the shape of ltx-2.3). Deliberately independent of any
/// client catalog, so that each checks the other.
struct APIFreeRules: Sendable {
    static let standard = APIFreeRules()

    /// Model name → whether it is a fast model.
    let models = ["ltx-2-3-fast": true, "ltx-2-3-pro": false]
    let sizes = ["1280x720": (1280, 720), "720x1280": (720, 1280), "1920x1080": (1920, 1080), "1080x1920": (1080, 1920)]
    let seconds = [6, 8, 10]
    /// The rate the simulator renders (no rate is requested).
    static let frameRate = 24

    /// Checks a submit given as fields (JSON members or multipart fields) and an optional start image.
    func parse(_ fields: [String: String], image: [UInt8]?) throws(SimulatorError) -> APIFreeSpec {
        let known: Set<String> = ["model", "prompt", "size", "seconds", "input_reference"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw SimulatorError(.invalidRequest, "Unknown parameter: '\(unknown)'.")
        }
        guard let model = fields["model"], let fast = models[model] else {
            throw SimulatorError(.invalidRequest, "Invalid 'model': expected one of \(models.keys.sorted().joined(separator: ", ")).")
        }
        guard let prompt = fields["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatorError(.invalidRequest, "Missing required parameter: 'prompt'.")
        }
        let sizeText = fields["size"] ?? "1280x720"
        guard let size = sizes[sizeText] else {
            throw SimulatorError(.invalidRequest, "Invalid 'size': expected one of \(sizes.keys.sorted().joined(separator: ", ")).")
        }
        let secondsText = fields["seconds"] ?? "6"
        guard let length = Int(secondsText), seconds.contains(length) else {
            throw SimulatorError(.invalidRequest, "Invalid 'seconds': expected one of \(seconds.map(String.init).joined(separator: ", ")).")
        }
        if let image, MediaSniffer.imageFormat(image) == nil {
            throw SimulatorError(.unsupportedFormat, "input_reference: not a PNG, JPEG or WebP image")
        }
        return APIFreeSpec(model: model, fast: fast, prompt: prompt, size: sizeText, width: size.0, height: size.1, seconds: length, imageBytes: image)
    }
}

/// An APIFree submit that passed every rule.
struct APIFreeSpec: Sendable {
    let model: String
    let fast: Bool
    let prompt: String
    let size: String
    let width: Int
    let height: Int
    let seconds: Int
    /// The start image's bytes, until the job is created.
    var imageBytes: [UInt8]?
}
