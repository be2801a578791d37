/// The current models of the ltx-v2 dialect (removed ones are named in ``V2Rules/removedModels``).
enum V2Model: String, CaseIterable, Sendable {
    case ltx23Fast = "ltx-2-3-fast"
    case ltx23Pro = "ltx-2-3-pro"
    case ltx25Fast = "ltx-2-5-fast"
    case ltx25Pro = "ltx-2-5-pro"

    /// A `*-pro` model (pro latency, durations up to 10 s).
    var isPro: Bool { self == .ltx23Pro || self == .ltx25Pro }

    /// An `ltx-2-3-*` model (the only ones that take `last_frame_uri`).
    var isLTX23: Bool { self == .ltx23Fast || self == .ltx23Pro }

    /// An `ltx-2-5-*` model (the only ones that take `duration: null`, "auto").
    var choosesDuration: Bool { self == .ltx25Fast || self == .ltx25Pro }
}

/// The output resolutions of the ltx-v2 dialect: four tiers, each landscape and portrait.
enum V2Resolution: String, CaseIterable, Sendable {
    case landscape720 = "1280x720"
    case landscape1080 = "1920x1080"
    case landscape1440 = "2560x1440"
    case landscape2160 = "3840x2160"
    case portrait720 = "720x1280"
    case portrait1080 = "1080x1920"
    case portrait1440 = "1440x2560"
    case portrait2160 = "2160x3840"

    /// Price tiers, named by the frame's short side.
    enum Tier: String, Sendable, CaseIterable {
        case p720 = "720p", p1080 = "1080p", p1440 = "1440p", p2160 = "2160p"
    }

    private var size: (width: Int, height: Int) {
        let parts = rawValue.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (0, 0)
    }

    var width: Int { size.width }

    var height: Int { size.height }

    var isPortrait: Bool { height > width }

    /// The tier of the short side.
    var tier: Tier {
        switch min(width, height) {
        case ...720: return .p720
        case ...1080: return .p1080
        case ...1440: return .p1440
        default: return .p2160
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
    /// Whether `resolution` was sent (audio-to-video otherwise follows the image's orientation).
    var resolutionGiven = true
    /// Whole seconds for text- and image-to-video; nil for audio-to-video (as long as the audio) and for an
    /// `ltx-2-5-*` "auto" request (the simulator picks the length when it accepts the job).
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
    /// The length the simulator chose for an `ltx-2-5-*` request sent with `duration: null`.
    var chosenDuration: Int?
    /// The start image's bytes (image-to-video, audio-to-video with an image) when the simulator has them.
    var imageBytes: [UInt8]?
    /// The input audio's bytes (audio-to-video) when the simulator has them.
    var audioBytes: [UInt8]?

    var mode: GenerationMode { request.mode }

    /// Seconds of video the job produces: the requested or chosen duration, or the audio's length.
    var outputSeconds: Double {
        if let duration = request.duration ?? chosenDuration { return Double(duration) }
        return audioSeconds ?? 0
    }
}
