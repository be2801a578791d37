/// What a delivered video is expected to be.
public struct VerificationRequest: Sendable, Codable, Equatable {
    /// Expected exact frame rate, if checked.
    public var fps: Rational?
    /// Expected duration in seconds, if checked (needs `fps` or the file's own rate).
    public var duration: Double?
    /// Expected width, if checked.
    public var width: Int?
    /// Expected height, if checked.
    public var height: Int?
    /// Whether an audio stream must be present.
    public var audioExpected: Bool
    /// Allowed |frames/fps − duration| in seconds.
    public var durationTolerance: Double
    /// Decode every frame instead of reading the index only.
    public var deep: Bool

    /// Describes the expectations; unset values are not checked.
    public init(
        fps: Rational? = nil, duration: Double? = nil, width: Int? = nil, height: Int? = nil,
        audioExpected: Bool = false, durationTolerance: Double = 0.5, deep: Bool = false
    ) {
        self.fps = fps
        self.duration = duration
        self.width = width
        self.height = height
        self.audioExpected = audioExpected
        self.durationTolerance = durationTolerance
        self.deep = deep
    }
}

/// One verification check: what was expected, what the file has, and whether they agree.
public struct VerificationCheck: Sendable, Codable, Equatable {
    /// Stable check name (`fps`, `frame_count_8n+1`, `duration`, `resolution`, `audio`, ...).
    public var name: String
    /// The expected value, as text.
    public var expected: String
    /// The measured value, as text.
    public var actual: String
    /// Whether the check passed.
    public var passed: Bool

    /// Creates a check result.
    public init(name: String, expected: String, actual: String, passed: Bool) {
        self.name = name
        self.expected = expected
        self.actual = actual
        self.passed = passed
    }
}

/// The verification of one video file.
public struct VerificationReport: Sendable, Codable, Equatable {
    /// The verified file.
    public var path: String
    /// `quick` (index only) or `deep` (every frame decoded).
    public var mode: String
    /// True when every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }
    /// Every check made, in order.
    public var checks: [VerificationCheck]
    /// What was measured, for the archive.
    public var measured: Measured
    /// In deep mode, the index of the first frame that failed to decode.
    public var firstBadFrame: Int?

    /// The measured facts of the video.
    public struct Measured: Sendable, Codable, Equatable {
        /// Container name.
        public var container: String
        /// Video codec name.
        public var videoCodec: String
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int
        /// Exact frame rate, when stated.
        public var fps: Rational?
        /// Video frame count.
        public var frames: Int
        /// frames / fps, in seconds.
        public var duration: Double?
        /// Audio codec name, when there is audio.
        public var audioCodec: String?
        /// File size in bytes.
        public var size: Int64
    }

    /// The checks that failed.
    public var failures: [VerificationCheck] { checks.filter { !$0.passed } }

    enum CodingKeys: String, CodingKey { case path, mode, passed, checks, measured, firstBadFrame }

    /// Decodes a report written by `encode(to:)`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        mode = try c.decode(String.self, forKey: .mode)
        checks = try c.decode([VerificationCheck].self, forKey: .checks)
        measured = try c.decode(Measured.self, forKey: .measured)
        firstBadFrame = try c.decodeIfPresent(Int.self, forKey: .firstBadFrame)
    }

    /// Encodes the report, `passed` included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(mode, forKey: .mode)
        try c.encode(passed, forKey: .passed)
        try c.encode(checks, forKey: .checks)
        try c.encode(measured, forKey: .measured)
        try c.encodeIfPresent(firstBadFrame, forKey: .firstBadFrame)
    }

    init(path: String, mode: String, checks: [VerificationCheck], measured: Measured, firstBadFrame: Int?) {
        self.path = path
        self.mode = mode
        self.checks = checks
        self.measured = measured
        self.firstBadFrame = firstBadFrame
    }
}
