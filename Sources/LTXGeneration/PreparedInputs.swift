import LTXAPI
import LTXMedia

/// A file a job sends to the API, after preflight.
public struct PreparedFile: Sendable, Codable, Equatable {
    /// The preflighted copy (or the original, passed through).
    public var path: String
    /// Its MIME type.
    public var contentType: String

    /// Creates a prepared file.
    public init(path: String, contentType: String) {
        self.path = path
        self.contentType = contentType
    }
}

/// What preflight decided for a job's inputs: the files to send and the reports that say why. The pipeline
/// keeps it in the ledger, so a restart sends exactly the same files.
public struct PreparedInputs: Sendable, Codable, Equatable {
    /// The start image to send.
    public var image: PreparedFile?
    /// The soundtrack to send.
    public var audio: PreparedFile?
    /// The last frame to send.
    public var lastFrame: PreparedFile?
    /// URLs passed through without preflight, by role.
    public var urls: [String: String]?
    /// One report per preflighted file.
    public var reports: [PreflightReport]

    /// Nothing prepared yet.
    public init(image: PreparedFile? = nil, audio: PreparedFile? = nil, lastFrame: PreparedFile? = nil, urls: [String: String]? = nil,
                reports: [PreflightReport] = []) {
        self.image = image
        self.audio = audio
        self.lastFrame = lastFrame
        self.urls = urls
        self.reports = reports
    }

    /// The inputs as the client sends them.
    public var generationInputs: GenerationInputs {
        func input(_ file: PreparedFile?, _ role: InputRole) -> GenerationInput? {
            if let file { return .file(path: file.path, contentType: file.contentType) }
            return urls?[role.rawValue].map { .url($0) }
        }
        return GenerationInputs(image: input(image, .image), audio: input(audio, .audio), lastFrame: input(lastFrame, .lastFrame))
    }

    /// The length of the soundtrack sent, when one was preflighted (the video of audio-to-video follows it).
    public var audioSeconds: Double? { reports.first { $0.kind == "audio" }?.outputDuration }

    /// Every preflight action, in order, as `action: reason` lines.
    public var actionSummary: [String] { reports.flatMap { report in report.actions.map { "\($0.action.rawValue): \($0.reason)" } } }
}
