import Foundation

/// The simulator's own reading of Replicate's LTX models: names, the input schema each serves, retention.
///
/// Replicate publishes a model's inputs only as its OpenAPI schema; the schema below is the simulator's (the shape
/// of ltx-2.3 as fal serves it), served at `GET /v1/models/{owner}/{name}` so that a client reads it rather than
/// assuming it. Deliberately independent of any client catalog, so that each checks the other.
struct ReplicateRules: Sendable {
    /// One Replicate model and what it takes.
    struct Model: Sendable, Equatable {
        /// `lightricks/ltx-2.3-fast`.
        let name: String
        /// A fast model (text-to-video to 20 s at 1080p/25 fps).
        let fast: Bool

        var owner: String { String(name.split(separator: "/").first ?? "") }
        var shortName: String { String(name.split(separator: "/").last ?? "") }
    }

    static let standard = ReplicateRules()

    /// Seconds of simulated time after a prediction ends that its output is kept (Replicate: 1 hour).
    static let outputRetention: Double = 3600

    let models: [Model] = [
        Model(name: "lightricks/ltx-2.3-fast", fast: true),
        Model(name: "lightricks/ltx-2.3-pro", fast: false),
    ]
    let tiers = ["1080p": (1920, 1080), "1440p": (2560, 1440), "2160p": (3840, 2160)]
    let aspectRatios = ["16:9", "9:16"]
    let frameRates = [24, 25, 48, 50]
    let longDurations = [6, 8, 10, 12, 14, 16, 18, 20]
    let shortDurations = [6, 8, 10]

    func model(owner: String, name: String) -> Model? { models.first { $0.name == "\(owner)/\(name)" } }

    /// The model's OpenAPI input schema as Replicate nests it (`latest_version.openapi_schema.components.schemas`).
    func schema(_ model: Model) -> JSONDocument {
        let durations = model.fast ? longDurations : shortDurations
        let input: JSONDocument = .object([
            "type": .string("object"), "required": .array([.string("prompt")]),
            "properties": .object([
                "prompt": .object(["type": .string("string")]),
                "image": .object(["type": .string("string"), "format": .string("uri")]),
                "duration": .object(["allOf": .array([.object(["$ref": .string("#/components/schemas/duration")])]), "default": .integer(6)]),
                "resolution": .object(["allOf": .array([.object(["$ref": .string("#/components/schemas/resolution")])]), "default": .string("1080p")]),
                "aspect_ratio": .object(["allOf": .array([.object(["$ref": .string("#/components/schemas/aspect_ratio")])]), "default": .string("16:9")]),
                "fps": .object(["allOf": .array([.object(["$ref": .string("#/components/schemas/fps")])]), "default": .integer(25)]),
                "generate_audio": .object(["type": .string("boolean"), "default": .bool(true)]),
            ]),
        ])
        let schemas: JSONDocument = .object([
            "Input": input,
            "duration": .object(["type": .string("integer"), "enum": .array(durations.map { .integer($0) })]),
            "resolution": .object(["type": .string("string"), "enum": .array(tiers.keys.sorted().map { .string($0) })]),
            "aspect_ratio": .object(["type": .string("string"), "enum": .array(aspectRatios.map { .string($0) })]),
            "fps": .object(["type": .string("integer"), "enum": .array(frameRates.map { .integer($0) })]),
            "Output": .object(["type": .string("string"), "format": .string("uri")]),
        ])
        return .object([
            "owner": .string(model.owner), "name": .string(model.shortName),
            "latest_version": .object([
                "id": .string(String(repeating: model.fast ? "f" : "p", count: 64)),
                "openapi_schema": .object(["openapi": .string("3.0.2"), "components": .object(["schemas": schemas])]),
            ]),
        ])
    }

    /// Checks a submit body `{"input":{...}}`; the first broken rule is thrown (422).
    func parse(_ body: [UInt8], model: Model) throws(SimulatorError) -> ReplicateSpec {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw SimulatorError(.unsupportedFormat, "the request body is not valid JSON")
        }
        guard case .object(let top) = value, case .object(let object)? = top["input"] else {
            throw SimulatorError(.unsupportedFormat, "input: the body must be an object with an input object")
        }
        let known: Set<String> = ["prompt", "image", "duration", "resolution", "aspect_ratio", "fps", "generate_audio"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SimulatorError(.unsupportedFormat, "input.\(unknown): not an input of \(model.name)")
        }
        func string(_ name: String) throws(SimulatorError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw SimulatorError(.unsupportedFormat, "input.\(name): must be a string")
            }
        }
        func integer(_ name: String) throws(SimulatorError) -> Int? {
            switch object[name] {
            case nil, .null?: return nil
            case .integer(let value)?: return value
            default: throw SimulatorError(.unsupportedFormat, "input.\(name): must be an integer")
            }
        }
        guard let prompt = try string("prompt"), !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatorError(.unsupportedFormat, "input.prompt: is required")
        }
        let tier = try string("resolution") ?? "1080p"
        guard let size = tiers[tier] else {
            throw SimulatorError(.unsupportedFormat, "input.resolution: must be one of \(tiers.keys.sorted().joined(separator: ", "))")
        }
        let aspect = try string("aspect_ratio") ?? "16:9"
        guard aspectRatios.contains(aspect) else {
            throw SimulatorError(.unsupportedFormat, "input.aspect_ratio: must be one of 16:9, 9:16")
        }
        let fps = try integer("fps") ?? 25
        guard frameRates.contains(fps) else {
            throw SimulatorError(.unsupportedFormat, "input.fps: must be one of \(frameRates.map(String.init).joined(separator: ", "))")
        }
        let image = try string("image")
        let duration = try integer("duration") ?? 6
        let long = model.fast && image == nil
        let offered = long && tier == "1080p" && fps == 25 ? longDurations : shortDurations
        guard offered.contains(duration) else {
            throw SimulatorError(.unsupportedFormat, "input.duration: must be one of \(offered.map(String.init).joined(separator: ", "))")
        }
        let generateAudio: Bool
        switch object["generate_audio"] {
        case nil, .null?: generateAudio = true
        case .bool(let value)?: generateAudio = value
        default: throw SimulatorError(.unsupportedFormat, "input.generate_audio: must be a boolean")
        }
        var spec = ReplicateSpec(
            model: model, prompt: prompt, tier: tier, aspectRatio: aspect, width: aspect == "9:16" ? size.1 : size.0,
            height: aspect == "9:16" ? size.0 : size.1, fps: fps, duration: duration, generateAudio: generateAudio,
            hasImage: image != nil)
        if let image {
            spec.imageBytes = try InlineImage.bytes(image, field: "input.image")
        }
        return spec
    }
}

/// A Replicate prediction request that passed every rule.
struct ReplicateSpec: Sendable {
    let model: ReplicateRules.Model
    let prompt: String
    let tier: String
    let aspectRatio: String
    let width: Int
    let height: Int
    let fps: Int
    let duration: Int
    let generateAudio: Bool
    /// Whether a start image was given (image-to-video).
    let hasImage: Bool
    /// The start image's bytes (a data URI), until the job is created.
    var imageBytes: [UInt8]?
}

/// An image input given as an https URL (not fetched) or a base64 `data:` URI (decoded and sniffed).
enum InlineImage {
    /// The bytes of a `data:` URI image, nil for an https URL; anything else is refused (422).
    static func bytes(_ uri: String, field: String) throws(SimulatorError) -> [UInt8]? {
        let lower = uri.lowercased()
        if lower.hasPrefix("https://") {
            guard URLComponents(string: uri)?.host?.isEmpty == false else {
                throw SimulatorError(.unsupportedFormat, "\(field): not a valid https URL")
            }
            return nil
        }
        guard lower.hasPrefix("data:"), let comma = uri.firstIndex(of: ","), uri[..<comma].lowercased().hasSuffix(";base64"),
              let data = Data(base64Encoded: String(uri[uri.index(after: comma)...])), !data.isEmpty else {
            throw SimulatorError(.unsupportedFormat, "\(field): must be an https URL or a base64 data URI")
        }
        let bytes = [UInt8](data)
        guard MediaSniffer.imageFormat(bytes) != nil else {
            throw SimulatorError(.unsupportedFormat, "\(field): not a PNG, JPEG or WebP image")
        }
        return bytes
    }
}

/// A JSON document the simulator writes (sorted keys through `WireJSON`).
indirect enum JSONDocument: Encodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}
