/// One thing preflight did (or would do) to an input, and why.
public struct PreflightAction: Sendable, Codable, Equatable {
    /// The kinds of action preflight takes.
    public enum Kind: String, Sendable, Codable {
        case passedThrough = "passed-through"
        case transcoded, rotated, flattened, cropped, padded, resized
        case recompressed = "re-compressed"
        case resampled, downmixed, trimmed
    }

    /// What was done.
    public var action: Kind
    /// Why it was done, in words a user can check.
    public var reason: String

    /// Creates an action record.
    public init(_ action: Kind, _ reason: String) {
        self.action = action
        self.reason = reason
    }
}

/// The outcome of preflighting one input file.
public struct PreflightReport: Sendable, Codable, Equatable {
    /// `image` or `audio`.
    public var kind: String
    /// The original file (never modified).
    public var input: String
    /// Format detected from the content.
    public var detectedFormat: String
    /// Size of the original in bytes.
    public var inputSize: Int64
    /// The original's shape (e.g. `4032x3024, EXIF orientation 6` or `mp3 44100 Hz stereo 12.0 s`).
    public var inputDescription: String
    /// True when the original can be sent as it is.
    public var passedThrough: Bool
    /// Every action taken or needed, in order.
    public var actions: [PreflightAction]
    /// The file to send: the original when passed through, the written copy after a fix, nil when a
    /// fix is needed but no output folder was given.
    public var output: String?
    /// Size of `output` in bytes.
    public var outputSize: Int64?
    /// The output's shape.
    public var outputDescription: String?
    /// Content type to send the output with (`image/jpeg`, `audio/mpeg`, ...).
    public var outputContentType: String?
    /// Length of the audio output in seconds (audio only).
    public var outputDuration: Double? = nil

    /// True when a fix is needed but was not written.
    public var needsFix: Bool { !passedThrough && output == nil }
}
