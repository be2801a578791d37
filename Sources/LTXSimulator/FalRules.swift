import Foundation

/// The simulator's own reading of the fal queue API for LTX models (providers.md): model ids, inputs, prices.
///
/// Deliberately independent of any client catalog, so that each checks the other.
struct FalRules: Sendable {
    /// One fal model id and what it takes.
    struct Model: Sendable, Equatable {
        /// `fal-ai/ltx-2.3/text-to-video/fast`.
        let id: String
        let mode: GenerationMode
        /// A `/fast` model (fast latency; text-to-video to 20 s).
        let fast: Bool
        /// An `ltx-2.3` model: takes `aspect_ratio`, `end_image_url` and fps 24/25/48/50.
        let v23: Bool

        /// `owner/app`, the part of the id the returned URLs carry (`fal-ai/ltx-2.3`).
        var app: String { id.split(separator: "/").prefix(2).joined(separator: "/") }
    }

    static let standard = FalRules()

    let models: [Model] = [
        Model(id: "fal-ai/ltx-2/text-to-video", mode: .textToVideo, fast: false, v23: false),
        Model(id: "fal-ai/ltx-2/text-to-video/fast", mode: .textToVideo, fast: true, v23: false),
        Model(id: "fal-ai/ltx-2/image-to-video", mode: .imageToVideo, fast: false, v23: false),
        Model(id: "fal-ai/ltx-2/image-to-video/fast", mode: .imageToVideo, fast: true, v23: false),
        Model(id: "fal-ai/ltx-2.3/text-to-video", mode: .textToVideo, fast: false, v23: true),
        Model(id: "fal-ai/ltx-2.3/text-to-video/fast", mode: .textToVideo, fast: true, v23: true),
        Model(id: "fal-ai/ltx-2.3/image-to-video", mode: .imageToVideo, fast: false, v23: true),
        Model(id: "fal-ai/ltx-2.3/image-to-video/fast", mode: .imageToVideo, fast: true, v23: true),
        Model(id: "fal-ai/ltx-2.3-quality/text-to-video", mode: .textToVideo, fast: false, v23: true),
    ]
    let tiers = ["1080p": (1920, 1080), "1440p": (2560, 1440), "2160p": (3840, 2160)]
    let aspectRatios = ["16:9", "9:16"]
    let longDurations = [6, 8, 10, 12, 14, 16, 18, 20]
    let shortDurations = [6, 8, 10]

    /// The apps (`owner/app`) the models live under.
    var apps: [String] { Array(Set(models.map(\.app))).sorted() }

    func model(_ id: String) -> Model? { models.first { $0.id == id } }

    /// Frame rates a model takes, and its default.
    func frameRates(_ model: Model) -> [Int] { model.v23 ? [24, 25, 48, 50] : [25, 50] }

    /// USD per second of video, nil when not published: fast 0.04/0.08/0.16, ltx-2 pro 0.06/0.12/0.24, ltx-2.3 pro
    /// 0.08 at 1080p.
    func pricePerSecond(_ model: Model, tier: String) -> Double? {
        let table: [String: Double]
        if model.fast {
            table = ["1080p": 0.04, "1440p": 0.08, "2160p": 0.16]
        } else if !model.v23 {
            table = ["1080p": 0.06, "1440p": 0.12, "2160p": 0.24]
        } else if model.id == "fal-ai/ltx-2.3-quality/text-to-video" {
            table = [:]
        } else {
            table = ["1080p": 0.08]
        }
        return table[tier]
    }

    /// Checks a submit body; the first broken rule is thrown (422, fal's validation status).
    func parse(_ body: [UInt8], model: Model) throws(SimulatorError) -> FalSpec {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw SimulatorError(.invalidRequest, "body: the request body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw SimulatorError(.invalidRequest, "body: the request body must be a JSON object")
        }
        func string(_ name: String) throws(SimulatorError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw SimulatorError(.invalidRequest, "\(name): must be a string")
            }
        }
        func integer(_ name: String) throws(SimulatorError) -> Int? {
            switch object[name] {
            case nil, .null?: return nil
            case .integer(let value)?: return value
            case .string(let text)?:
                // fal's schemas give durations and rates as string enums as well as numbers.
                guard let value = Int(text) else { throw SimulatorError(.invalidRequest, "\(name): must be a whole number") }
                return value
            default: throw SimulatorError(.invalidRequest, "\(name): must be a whole number")
            }
        }
        guard let prompt = try string("prompt"), !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatorError(.invalidRequest, "prompt: field required")
        }
        let tier = try string("resolution") ?? "1080p"
        guard let size = tiers[tier] else {
            throw SimulatorError(.invalidRequest, "resolution: \"\(tier)\" is not one of \(tiers.keys.sorted().joined(separator: ", "))")
        }
        let aspect = try string("aspect_ratio") ?? "16:9"
        if object["aspect_ratio"] != nil, !model.v23 {
            throw SimulatorError(.invalidRequest, "aspect_ratio: not supported by \(model.id)")
        }
        guard aspectRatios.contains(aspect) else {
            throw SimulatorError(.invalidRequest, "aspect_ratio: \"\(aspect)\" is not one of 16:9, 9:16")
        }
        let fps = try integer("fps") ?? 25
        guard frameRates(model).contains(fps) else {
            throw SimulatorError(.invalidRequest, "fps: \(fps) is not one of \(frameRates(model).map(String.init).joined(separator: ", "))")
        }
        let duration = try integer("duration") ?? 6
        let long = model.fast && model.mode == .textToVideo
        let offered = long && tier == "1080p" && fps == 25 ? longDurations : shortDurations
        guard offered.contains(duration) else {
            let rule = long ? " (above 10 s only at 1080p and 25 fps)" : ""
            throw SimulatorError(.invalidRequest, "duration: \(duration) is not one of \(offered.map(String.init).joined(separator: ", "))\(rule)")
        }
        let generateAudio: Bool
        switch object["generate_audio"] {
        case nil, .null?: generateAudio = true
        case .bool(let value)?: generateAudio = value
        default: throw SimulatorError(.invalidRequest, "generate_audio: must be true or false")
        }
        var spec = FalSpec(
            model: model, prompt: prompt, tier: tier, aspectRatio: aspect, width: aspect == "9:16" ? size.1 : size.0,
            height: aspect == "9:16" ? size.0 : size.1, fps: fps, duration: duration, generateAudio: generateAudio)
        if model.mode == .imageToVideo {
            guard let image = try string("image_url"), !image.isEmpty else {
                throw SimulatorError(.invalidRequest, "image_url: field required")
            }
            spec.imageBytes = try Self.imageBytes(image, field: "image_url")
        } else if object["image_url"] != nil {
            throw SimulatorError(.invalidRequest, "image_url: not a field of \(model.id)")
        }
        if let end = try string("end_image_url") {
            guard model.v23, model.mode == .imageToVideo else {
                throw SimulatorError(.invalidRequest, "end_image_url: not supported by \(model.id)")
            }
            _ = try Self.imageBytes(end, field: "end_image_url")
        }
        return spec
    }

    /// The bytes of a `data:` URI image, nil for an https URL (not fetched); anything else is refused.
    private static func imageBytes(_ uri: String, field: String) throws(SimulatorError) -> [UInt8]? {
        let lower = uri.lowercased()
        if lower.hasPrefix("https://") {
            guard URLComponents(string: uri)?.host?.isEmpty == false else {
                throw SimulatorError(.invalidRequest, "\(field): not a valid https URL")
            }
            return nil
        }
        guard lower.hasPrefix("data:"), let comma = uri.firstIndex(of: ","), uri[..<comma].lowercased().hasSuffix(";base64"),
              let data = Data(base64Encoded: String(uri[uri.index(after: comma)...])), !data.isEmpty else {
            throw SimulatorError(.invalidRequest, "\(field): must be an https URL or a base64 data URI")
        }
        let bytes = [UInt8](data)
        guard MediaSniffer.imageFormat(bytes) != nil else {
            throw SimulatorError(.invalidRequest, "\(field): not a PNG, JPEG or WebP image")
        }
        return bytes
    }
}

/// A fal submit that passed every rule.
struct FalSpec: Sendable {
    let model: FalRules.Model
    let prompt: String
    let tier: String
    let aspectRatio: String
    let width: Int
    let height: Int
    let fps: Int
    let duration: Int
    let generateAudio: Bool
    /// The start image's bytes (a data URI), until the job is created.
    var imageBytes: [UInt8]?
}
