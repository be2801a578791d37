/// The models of the ltx-v2 dialect.
enum V2Model: String, CaseIterable, Sendable {
    case ltx23Fast = "ltx-2-3-fast"
    case ltx23Pro = "ltx-2-3-pro"
    /// Deprecated, still accepted.
    case ltx2Fast = "ltx-2-fast"
    /// Deprecated, still accepted.
    case ltx2Pro = "ltx-2-pro"

    /// A `*-pro` model (pro prices, pro latency).
    var isPro: Bool { self == .ltx23Pro || self == .ltx2Pro }

    /// An `ltx-2-3-*` model (the only ones that take `last_frame_uri`).
    var isLTX23: Bool { self == .ltx23Fast || self == .ltx23Pro }
}

/// The output resolutions of the ltx-v2 dialect.
enum V2Resolution: String, CaseIterable, Sendable {
    case landscape1080 = "1920x1080"
    case portrait1080 = "1080x1920"
    case landscape1440 = "2560x1440"
    case landscape2160 = "3840x2160"

    /// Price tiers: 1080p-class, 1440p, 4K.
    enum Tier: Sendable { case hd, quadHD, ultraHD }

    var width: Int {
        switch self {
        case .landscape1080: return 1920
        case .portrait1080: return 1080
        case .landscape1440: return 2560
        case .landscape2160: return 3840
        }
    }

    var height: Int {
        switch self {
        case .landscape1080: return 1080
        case .portrait1080: return 1920
        case .landscape1440: return 1440
        case .landscape2160: return 2160
        }
    }

    var tier: Tier {
        switch self {
        case .landscape1080, .portrait1080: return .hd
        case .landscape1440: return .quadHD
        case .landscape2160: return .ultraHD
        }
    }
}

/// An input given by URI, once checked.
enum V2Input: Sendable, Equatable {
    /// `ltx://uploads/<id>`: an uploaded file of this format and size.
    case upload(id: String, byteCount: Int, format: String)
    /// An `https://` URL the service would fetch (the simulator does not).
    case remote(String)
    /// A `data:` URI decoded to this many bytes of this format.
    case inline(byteCount: Int, format: String)
}

/// A submit of the ltx-v2 dialect, its fields parsed and checked, inputs not yet resolved.
struct V2Request: Sendable, Equatable {
    var mode: GenerationMode
    var prompt: String?
    var model: V2Model
    var resolution: V2Resolution
    /// Whole seconds for text- and image-to-video; nil for audio-to-video (as long as the audio).
    var duration: Int?
    var fps: Int
    var generateAudio: Bool
    var cameraMotion: String?
    var guidanceScale: Double?
    var imageURI: String?
    var lastFrameURI: String?
    var audioURI: String?
}

/// An ltx-v2 submit that passed every rule, inputs resolved: what the job is made from.
struct V2Spec: Sendable, Equatable {
    var request: V2Request
    var image: V2Input?
    var lastFrame: V2Input?
    var audio: V2Input?
    /// Length of the input audio (audio-to-video), measured or assumed.
    var audioSeconds: Double?

    var mode: GenerationMode { request.mode }

    /// Seconds of video the job produces: the requested duration, or the audio's length.
    var outputSeconds: Double {
        if let duration = request.duration { return Double(duration) }
        return audioSeconds ?? 0
    }
}
