import Foundation

/// The three kinds of generation.
public enum GenerationMode: String, Sendable, Codable, CaseIterable {
    case textToVideo = "text-to-video"
    case imageToVideo = "image-to-video"
    case audioToVideo = "audio-to-video"
}

/// A `WIDTHxHEIGHT` resolution.
public struct Resolution: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a resolution.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1920x1080`.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        self.init(width: w, height: h)
    }

    /// `WIDTHxHEIGHT`.
    public var description: String { "\(width)x\(height)" }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Resolution(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a WxH resolution: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What the API offers and allows, loaded from data so that a change of service is an edit, not a rewrite.
public struct Catalog: Sendable, Decodable {
    /// Default parameters for a request that leaves them out.
    public struct Defaults: Sendable, Decodable {
        /// Default model.
        public var model: String
        /// Default resolution.
        public var resolution: Resolution
        /// Default duration in seconds.
        public var duration: Int
        /// Default frame rate.
        public var fps: Int
    }

    /// One model.
    public struct Model: Sendable, Decodable {
        /// The model's API name.
        public var name: String
        /// Modes the model serves.
        public var modes: [GenerationMode]
        /// Typical time to a finished video, low and high, in seconds.
        public var latencySeconds: [Double]
        /// USD per second of video, by resolution.
        public var pricePerSecond: [String: Double]
        /// The model that replaces this deprecated one (a warning, not an error).
        public var deprecatedBy: String?
        /// Whether the model takes a last-frame image (image-to-video).
        public var lastFrame: Bool?
    }

    /// Restrictions particular to one mode.
    public struct ModeRule: Sendable, Decodable {
        /// The mode restricted.
        public var mode: GenerationMode
        /// The only models allowed, when set.
        public var models: [String]?
        /// The only resolutions allowed, when set.
        public var resolutions: [Resolution]?
        /// The frame rate the output always has (the request carries none), when set.
        public var fixedFps: Int?
        /// True when the output is as long as the input audio (the request carries no duration).
        public var durationFromAudio: Bool?
    }

    /// A duration range; the first rule whose set fields all match a request applies.
    public struct DurationRule: Sendable, Decodable {
        /// Matches this mode only, when set.
        public var mode: GenerationMode?
        /// Matches this model only, when set.
        public var model: String?
        /// Matches this resolution only, when set.
        public var resolution: Resolution?
        /// Matches this frame rate only, when set.
        public var fps: Int?
        /// Shortest allowed duration in seconds.
        public var min: Int
        /// Longest allowed duration in seconds.
        public var max: Int
        /// Words naming the case, for error messages.
        public var note: String
    }

    /// Limits on one kind of uploaded input.
    public struct InputLimit: Sendable, Decodable {
        /// Accepted formats, by content.
        public var formats: [String]
        /// Largest accepted file in bytes.
        public var maxBytes: Int64
        /// Shortest accepted audio in seconds, when the dialect sets one.
        public var minSeconds: Double?
    }

    /// Limits on uploaded inputs.
    public struct Inputs: Sendable, Decodable {
        /// Start images.
        public var image: InputLimit
        /// Soundtracks.
        public var audio: InputLimit
    }

    /// The wire dialect this catalog describes.
    public var dialect: String
    /// Defaults.
    public var defaults: Defaults
    /// Resolution presets.
    public var resolutions: [Resolution]
    /// Allowed frame rates.
    public var fps: [Int]
    /// Models.
    public var models: [Model]
    /// Per-mode restrictions.
    public var modeRules: [ModeRule]
    /// Duration ranges, most specific first.
    public var durationRules: [DurationRule]
    /// Input file limits.
    public var inputs: Inputs
    /// Allowed `camera_motion` values (empty when the dialect has none).
    public var cameraMotions: [String]?
    /// Whether requests may carry a seed (default true).
    public var supportsSeed: Bool?
    /// Optional request fields this protocol has beyond the common ones (`generate_audio`, `camera_motion`, ...).
    public var optionalFields: [String]?

    /// True when the protocol has the optional field `name`.
    public func supports(_ name: String) -> Bool { optionalFields?.contains(name) ?? false }

    /// The generations dialect's catalog (the API reference).
    public static let generations: Catalog = {
        do {
            return try load(Data(generationsCatalogJSON.utf8))
        } catch {
            preconditionFailure("built-in catalog is invalid: \(error)")
        }
    }()

    /// The ltx-v2 dialect's catalog (api.ltx.video).
    public static let ltxV2: Catalog = {
        do {
            return try load(Data(ltxV2CatalogJSON.utf8))
        } catch {
            preconditionFailure("built-in ltx-v2 catalog is invalid: \(error)")
        }
    }()

    /// The rule of `mode`, if it has one.
    public func modeRule(_ mode: GenerationMode) -> ModeRule? { modeRules.first { $0.mode == mode } }

    /// Decodes and checks a catalog.
    public static func load(_ data: Data) throws -> Catalog {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let catalog = try decoder.decode(Catalog.self, from: data)
        guard catalog.model(catalog.defaults.model) != nil else {
            throw CatalogError(message: "default model \(catalog.defaults.model) is not in the catalog")
        }
        for model in catalog.models where model.latencySeconds.count != 2 {
            throw CatalogError(message: "model \(model.name) needs latency_seconds [low, high]")
        }
        return catalog
    }

    /// The model named `name`, if offered.
    public func model(_ name: String) -> Model? { models.first { $0.name == name } }

    /// The duration rule that applies to a request.
    public func durationRule(mode: GenerationMode, model: String, resolution: Resolution, fps: Int) -> DurationRule? {
        durationRules.first { rule in
            (rule.mode == nil || rule.mode == mode) && (rule.model == nil || rule.model == model)
                && (rule.resolution == nil || rule.resolution == resolution) && (rule.fps == nil || rule.fps == fps)
        }
    }
}

/// A catalog file that does not describe a usable service.
public struct CatalogError: Error, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { "catalog: \(message)" }
}
