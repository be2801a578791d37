/// The generation modes of the reference API.
enum GenerationMode: String, CaseIterable, Sendable {
    case textToVideo = "text-to-video"
    case imageToVideo = "image-to-video"
    case audioToVideo = "audio-to-video"
}

/// The models of the reference API.
enum VideoModel: String, CaseIterable, Sendable {
    case fast = "ltx-2-fast"
    case pro = "ltx-2-pro"
}

/// The reference's resolution presets. 1080 is not divisible by 32, and the preset is valid all the same.
enum ResolutionPreset: String, CaseIterable, Sendable {
    case fullHD = "1920x1080"
    case quadHD = "2560x1440"
    case ultraHD = "3840x2160"

    var width: Int {
        switch self {
        case .fullHD: return 1920
        case .quadHD: return 2560
        case .ultraHD: return 3840
        }
    }

    var height: Int {
        switch self {
        case .fullHD: return 1080
        case .quadHD: return 1440
        case .ultraHD: return 2160
        }
    }
}

/// An image or audio input of a submit: a URL the service would fetch, or uploaded bytes.
enum MediaInput: Sendable, Equatable {
    case url(String)
    case file(byteCount: Int, format: String)
}

/// A submit that passed every rule: what the job will be made from.
struct GenerationSpec: Sendable, Equatable {
    var mode: GenerationMode
    var prompt: String
    var model: VideoModel
    var resolution: ResolutionPreset
    var duration: Int
    var fps: Int
    var seed: Int?
    var image: MediaInput?
    var audio: MediaInput?
    /// The uploaded start image's bytes (a file part), until the job is created.
    var imageBytes: [UInt8]?
    /// The uploaded audio's bytes (a file part), until the job is created.
    var audioBytes: [UInt8]?
}
