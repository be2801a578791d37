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
    /// For `cropped`: the share of the upright picture cut away (0…1); for `padded`: the share of the sent frame
    /// that is bars. Computed from the pixel counts.
    public var pictureShare: Double?
    /// For `trimmed`: the input's length in seconds.
    public var secondsBefore: Double?
    /// For `trimmed`: the length sent in seconds.
    public var secondsAfter: Double?

    /// Creates an action record.
    public init(_ action: Kind, _ reason: String, pictureShare: Double? = nil, secondsBefore: Double? = nil, secondsAfter: Double? = nil) {
        self.action = action
        self.reason = reason
        self.pictureShare = pictureShare
        self.secondsBefore = secondsBefore
        self.secondsAfter = secondsAfter
    }

    /// A share as a whole percentage for people, never "0 %" or "100 %" for a share that is neither.
    public static func percentText(_ share: Double) -> String {
        let percent = (share * 100).rounded()
        if percent <= 0 && share > 0 { return "<1 %" }
        if percent >= 100 && share < 1 { return ">99 %" }
        return String(format: "%.0f %%", percent)
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
