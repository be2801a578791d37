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

    /// The price tier: the frame's short side, `720p`, `1080p`, `1440p` or `2160p` (portrait costs as landscape).
    public var tier: String { "\(min(width, height))p" }

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

/// What the API offers and allows: read from a catalog file (`catalogs/<dialect>.yml`, see `CatalogStore`) so that a
/// change of service is an edit a user makes, not a new build.
public struct Catalog: Sendable {
    /// Default parameters for a request that leaves them out.
    public struct Defaults: Sendable {
        /// Default model.
        public var model: String
        /// Default resolution.
        public var resolution: Resolution
        /// Default duration in seconds.
        public var duration: Int
        /// Default frame rate.
        public var fps: Int
    }

    /// Whether the service still takes a model.
    public enum ModelStatus: String, Sendable, CaseIterable {
        /// Offered.
        case current
        /// Still accepted, with a warning naming the replacement.
        case deprecated
        /// Refused by the service; refused locally too, naming the replacement.
        case removed
    }

    /// A narrowing of a model's durations for the requests it matches; the first matching rule applies.
    public struct DurationRule: Sendable, Equatable {
        /// Matches these modes only, when set.
        public var modes: [GenerationMode]?
        /// Matches these resolutions only, when set.
        public var resolutions: [Resolution]?
        /// Matches these price tiers (`720p`, ...) only, when set.
        public var tiers: [String]?
        /// Matches these frame rates only, when set.
        public var fps: [Int]?
        /// Shortest duration allowed where the rule applies, when set.
        public var min: Int?
        /// Longest duration allowed where the rule applies, when set.
        public var max: Int?
        /// Words naming the case, for error messages.
        public var note: String

        /// Creates a rule.
        public init(modes: [GenerationMode]? = nil, resolutions: [Resolution]? = nil, tiers: [String]? = nil, fps: [Int]? = nil,
                    min: Int? = nil, max: Int? = nil, note: String) {
            self.modes = modes
            self.resolutions = resolutions
            self.tiers = tiers
            self.fps = fps
            self.min = min
            self.max = max
            self.note = note
        }

        /// True when every condition the rule sets holds for the request.
        public func matches(mode: GenerationMode, resolution: Resolution, fps requestFps: Int) -> Bool {
            (modes?.contains(mode) ?? true) && (resolutions?.contains(resolution) ?? true)
                && (tiers?.contains(resolution.tier) ?? true) && (fps?.contains(requestFps) ?? true)
        }
    }

    /// One model.
    public struct Model: Sendable {
        /// The model's API name.
        public var name: String
        /// Whether the service still takes it.
        public var status: ModelStatus
        /// The model to use instead, for a deprecated or removed one.
        public var replacedBy: String?
        /// When the service stopped taking it (as the catalog writes it), for a removed one.
        public var removedOn: String?
        /// Modes the model serves.
        public var modes: [GenerationMode]
        /// Output resolutions it offers.
        public var resolutions: [Resolution]
        /// Frame rates it offers.
        public var fps: [Int]
        /// Durations in seconds it offers, before any rule narrows them.
        public var durations: [Int]
        /// Narrowings of `durations`; the first rule that matches a request applies.
        public var durationRules: [DurationRule]
        /// Whether the service may pick the length itself (`duration: null`).
        public var autoDuration: Bool
        /// Typical time to a finished video, low and high, in seconds.
        public var latencyLow: Double
        /// See `latencyLow`.
        public var latencyHigh: Double
        /// USD per second of output video, by tier (`720p`, `1080p`, `1440p`, `2160p`); a tier missing is unknown.
        public var prices: [String: Double]
        /// USD per second of input audio for audio-to-video, when the service bills that way and the price is known.
        public var audioPrice: Double?
        /// Whether the model takes a last-frame image (image-to-video).
        public var lastFrame: Bool
        /// The provider's own model id for each mode (fal's `fal-ai/ltx-2.3/text-to-video/fast`), for protocols whose
        /// path names the model; empty when the request names the model by `name`.
        public var modelIDs: [GenerationMode: String] = [:]

        /// Creates a model; everything but the name may be filled in afterwards.
        public init(name: String, status: ModelStatus = .current, replacedBy: String? = nil, removedOn: String? = nil,
                    modes: [GenerationMode] = [], resolutions: [Resolution] = [], fps: [Int] = [], durations: [Int] = [],
                    durationRules: [DurationRule] = [], autoDuration: Bool = false, latencyLow: Double = 0, latencyHigh: Double = 0,
                    prices: [String: Double] = [:], audioPrice: Double? = nil, lastFrame: Bool = false) {
            self.name = name
            self.status = status
            self.replacedBy = replacedBy
            self.removedOn = removedOn
            self.modes = modes
            self.resolutions = resolutions
            self.fps = fps
            self.durations = durations
            self.durationRules = durationRules
            self.autoDuration = autoDuration
            self.latencyLow = latencyLow
            self.latencyHigh = latencyHigh
            self.prices = prices
            self.audioPrice = audioPrice
            self.lastFrame = lastFrame
        }

        /// `[low, high]` typical latency in seconds.
        public var latencySeconds: [Double] { [latencyLow, latencyHigh] }

        /// The replacement of a deprecated (still accepted) model.
        public var deprecatedBy: String? { status == .deprecated ? replacedBy : nil }

        /// The price tiers of the resolutions it offers, smallest first, plus any tier it has a price for.
        public var tiers: [String] {
            let all = Set(resolutions.map(\.tier)).union(prices.keys)
            return all.sorted { (Int($0.dropLast()) ?? 0, $0) < (Int($1.dropLast()) ?? 0, $1) }
        }
    }

    /// Restrictions particular to one mode.
    public struct ModeRule: Sendable {
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
        /// Shortest input audio accepted, in seconds, when set.
        public var minAudioSeconds: Double?
        /// Longest input audio accepted, in seconds, when set.
        public var maxAudioSeconds: Double?
        /// Smallest `guidance_scale`, when the mode takes one.
        public var minGuidanceScale: Double?
        /// Largest `guidance_scale`, when the mode takes one.
        public var maxGuidanceScale: Double?
        /// True when the mode takes an optional start image (audio-to-video on ltx-v2); a request that names no
        /// resolution then gets the one of ``resolutions`` whose orientation matches the image's.
        public var optionalImage: Bool?

        /// Creates a rule restricting nothing yet.
        public init(mode: GenerationMode) { self.mode = mode }
    }

    /// Limits on one kind of input file.
    public struct InputLimit: Sendable {
        /// Accepted formats, by content.
        public var formats: [String]
        /// Largest accepted file in bytes.
        public var maxBytes: Int64
        /// Shortest accepted audio in seconds, when the dialect sets one.
        public var minSeconds: Double?
        /// Largest inline `data:` URI the service takes, encoded, when it has such a limit.
        public var dataURIMaxBytes: Int64?
        /// Largest file the service fetches from an https URL, when it has such a limit.
        public var urlMaxBytes: Int64?

        /// Creates a limit.
        public init(formats: [String], maxBytes: Int64, minSeconds: Double? = nil, dataURIMaxBytes: Int64? = nil, urlMaxBytes: Int64? = nil) {
            self.formats = formats
            self.maxBytes = maxBytes
            self.minSeconds = minSeconds
            self.dataURIMaxBytes = dataURIMaxBytes
            self.urlMaxBytes = urlMaxBytes
        }
    }

    /// Limits on input files.
    public struct Inputs: Sendable {
        /// Start images.
        public var image: InputLimit
        /// Soundtracks.
        public var audio: InputLimit
    }

    /// The wire dialect this catalog describes.
    public var dialect: String
    /// Where it was read from: a file path, plus any override file, or the built-in copy.
    public var source: String
    /// Defaults.
    public var defaults: Defaults
    /// Models, in the file's order (removed ones included, for their prices and replacements).
    public var models: [Model]
    /// Per-mode restrictions.
    public var modeRules: [ModeRule]
    /// Input file limits.
    public var inputs: Inputs
    /// Longest prompt in characters, when the service has a limit.
    public var promptMaxCharacters: Int?
    /// Allowed `camera_motion` values (empty when the dialect has none).
    public var cameraMotions: [String]?
    /// Whether requests may carry a seed (default true).
    public var supportsSeed: Bool?
    /// Optional request fields this protocol has beyond the common ones (`generate_audio`, `camera_motion`, ...).
    public var optionalFields: [String]?
    /// How the protocol names each output size, for protocols that take a tier name and an aspect ratio instead of
    /// `WIDTHxHEIGHT` (fal); nil when requests carry the size as `WIDTHxHEIGHT`.
    public var sizes: [Resolution: ProviderSize]?
    /// True for a service on the user's own hardware (ComfyUI): nothing is charged, so every estimate is 0.
    public var local: Bool?
    /// What each requested size renders as, for services that render other sizes than asked (ComfyUI renders LTX at
    /// multiples of 32: 1920x1080 renders 1920x1088); nil or a missing size: as requested.
    public var renders: [Resolution: Resolution]?
    /// Where each model and top-level key was defined, for errors found after a merge.
    var locations: [String: CatalogLocation] = [:]

    /// What a provider calls one output size: a tier name and an aspect ratio (`1080p`, `9:16`).
    public struct ProviderSize: Sendable, Equatable {
        /// The tier name the request carries (`1080p`).
        public var resolution: String
        /// The aspect ratio the request carries (`16:9`).
        public var aspectRatio: String

        /// Creates a size name.
        public init(resolution: String, aspectRatio: String) {
            self.resolution = resolution
            self.aspectRatio = aspectRatio
        }
    }

    /// The size a request for `resolution` renders at (`renders`), which verification checks.
    public func rendered(_ resolution: Resolution) -> Resolution { renders?[resolution] ?? resolution }

    /// The provider's model id for a request of `mode` on the model named `name`, when the catalog gives one.
    public func providerModelID(_ name: String, mode: GenerationMode) -> String? { model(name)?.modelIDs[mode] }

    /// True when the protocol has the optional field `name`.
    public func supports(_ name: String) -> Bool { optionalFields?.contains(name) ?? false }

    /// The rule of `mode`, if it has one.
    public func modeRule(_ mode: GenerationMode) -> ModeRule? { modeRules.first { $0.mode == mode } }

    /// The model named `name`, if the catalog knows it (removed models included).
    public func model(_ name: String) -> Model? { models.first { $0.name == name } }

    /// The model to use instead of `name`: its `replaced_by`, followed past replacements that were removed too.
    public func replacement(for name: String) -> String? {
        var current = model(name)?.replacedBy
        var seen: Set<String> = [name]
        while let next = current, let target = model(next), target.status == .removed, let further = target.replacedBy, seen.insert(next).inserted {
            current = further
        }
        guard let found = current, model(found)?.status != .removed else { return nil }
        return found
    }

    /// Models a request may name (not removed).
    public var offeredModels: [Model] { models.filter { $0.status != .removed } }

    /// Every resolution an offered model has, in catalog order.
    public var resolutions: [Resolution] { Self.unique(offeredModels.flatMap(\.resolutions)) }

    /// Every frame rate an offered model has, in catalog order.
    public var fps: [Int] { Self.unique(offeredModels.flatMap(\.fps)) }

    /// The durations a request may ask for, and the words naming the case for messages; nil for an unknown model.
    public func allowedDurations(mode: GenerationMode, model name: String, resolution: Resolution, fps: Int) -> (durations: [Int], note: String)? {
        guard let model = model(name) else { return nil }
        guard let rule = model.durationRules.first(where: { $0.matches(mode: mode, resolution: resolution, fps: fps) }) else {
            return (model.durations, model.name)
        }
        let narrowed = model.durations.filter { ($0 >= (rule.min ?? Int.min)) && ($0 <= (rule.max ?? Int.max)) }
        return (narrowed, rule.note)
    }

    /// The resolution a request of `mode` gets when it names none: for a mode limited to some resolutions (audio-to-video),
    /// the first of them with the start image's orientation (portrait when taller than wide), else the first; otherwise
    /// the catalog's default.
    public func defaultResolution(for mode: GenerationMode, imageWidth: Int? = nil, imageHeight: Int? = nil) -> Resolution {
        guard let allowed = modeRule(mode)?.resolutions, let first = allowed.first else { return defaults.resolution }
        guard let width = imageWidth, let height = imageHeight, width > 0, height > 0 else { return first }
        let portrait = height > width
        return allowed.first { ($0.height > $0.width) == portrait } ?? first
    }

    /// The catalog key a user sets to give the price a request needs (`models.NAME.prices.TIER` or `.audio_price`).
    public func priceKey(_ parameters: GenerationParameters) -> String {
        if parameters.mode == .audioToVideo, modeRule(.audioToVideo)?.durationFromAudio == true {
            return "models.\(parameters.model).audio_price"
        }
        return "models.\(parameters.model).prices.\(parameters.resolution.tier)"
    }

    private static func unique<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension Catalog.ModeRule {
    /// The resolution of this mode whose orientation (portrait or landscape) matches a `width × height` picture as
    /// displayed, the first such one listed; nil when the mode takes no optional image or lists none of that shape.
    public func resolution(followingImageOf width: Int, _ height: Int) -> Resolution? {
        guard optionalImage == true, let resolutions, width > 0, height > 0 else { return nil }
        let portrait = height > width
        return resolutions.first { ($0.height > $0.width) == portrait }
    }
}
