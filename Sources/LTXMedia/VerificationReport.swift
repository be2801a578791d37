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
    /// Check the picture and the sound too (black, frozen, start image, sound, soundtrack): on every
    /// frame when `deep`, else on frames sampled from keyframes. Nil: no content checks.
    public var content: ContentExpectation?

    /// How much of the file this request reads.
    public var mode: VerificationMode { deep ? .deep : content != nil ? .sampled : .quick }

    /// Describes the expectations; unset values are not checked.
    public init(
        fps: Rational? = nil, duration: Double? = nil, width: Int? = nil, height: Int? = nil,
        audioExpected: Bool = false, durationTolerance: Double = 0.5, deep: Bool = false, content: ContentExpectation? = nil
    ) {
        self.content = content
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
    /// `quick` (index only), `sampled` (index + frames sampled for the content checks) or `deep` (every frame decoded).
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
        /// What the content checks measured, when they ran.
        public var content: ContentSummary?
    }

    /// The content checks' measurements, as kept in the archive.
    public struct ContentSummary: Sendable, Codable, Equatable {
        /// Frames analysed (every frame in deep mode, the samples in sampled mode).
        public var framesAnalyzed: Int
        /// Of those, frames judged black or one flat colour.
        public var blackFrames: Int
        /// Mean luma over the analysed frames (0…255).
        public var meanLuma: Double
        /// Consecutive pairs compared, and how many were exact repeats.
        public var pairsCompared: Int, identicalPairs: Int
        /// SSIM of the first frame with the start image.
        public var startImageSimilarity: Double?
        /// SSIM of the last frame with the `last_frame` image.
        public var lastFrameSimilarity: Double?
        /// RMS level of the output's audio in dBFS (nil: silent or no audio decoded).
        public var audioLevel: Double?
        /// Length of the output's audio in seconds (nil when sampled mode read only a few windows of it).
        public var audioSeconds: Double?
        /// Length of the input soundtrack in seconds.
        public var soundtrackSeconds: Double?
        /// Correlation of the output's and the input's loudness envelopes.
        public var envelopeCorrelation: Double?
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

/// A verification, and the contact sheet made on its decode of every frame when it made one.
public struct VerifiedVideo: Sendable {
    /// The verification.
    public var report: VerificationReport
    /// The video's default contact sheet, identical to `ContactSheet.make(fromVideo:)`'s; nil when the
    /// verification did not decode every frame or the sheet could not be made on that pass.
    public var contactSheet: ContactSheet?
}
