/// Limits for the content checks (pipeline files: `verify.content`). The defaults pass every normal
/// video we measured and fail every broken one; the README's "Content checks" table lists what each
/// measured.
public struct ContentThresholds: Sendable, Codable, Equatable {
    /// Black or flat-colour frames.
    public struct Black: Sendable, Codable, Equatable {
        /// The most frames (a share, 0…1) that may be black or flat.
        public var maxShare: Double
        /// A frame whose mean luma (full range, 0…255, on its thumbnail) is at most this is black.
        public var maxLuma: Double
        /// A frame whose luma standard deviation is at most this is one flat colour.
        public var maxSpread: Double

        /// Black-frame limits.
        public init(maxShare: Double = 0.5, maxLuma: Double = 10, maxSpread: Double = 3) {
            self.maxShare = maxShare
            self.maxLuma = maxLuma
            self.maxSpread = maxSpread
        }
    }

    /// Exact repeats of the previous frame.
    public struct Frozen: Sendable, Codable, Equatable {
        /// The most consecutive frame pairs (a share, 0…1) that may be identical.
        public var maxShare: Double

        /// Frozen-frame limit.
        public init(maxShare: Double = 0.5) { self.maxShare = maxShare }
    }

    /// Likeness of the first frame to the start image (and of the last frame to `last_frame`).
    public struct StartImage: Sendable, Codable, Equatable {
        /// The least SSIM (on 80-pixel-wide greyscale thumbnails) that passes.
        public var minSimilarity: Double

        /// Start-image limit.
        public init(minSimilarity: Double = 0.5) { self.minSimilarity = minSimilarity }
    }

    /// Audio that was promised must not be silent.
    public struct Sound: Sendable, Codable, Equatable {
        /// The least RMS level of the whole track, in dBFS.
        public var minLevel: Double

        /// Sound limit.
        public init(minLevel: Double = -60) { self.minLevel = minLevel }
    }

    /// Audio-to-video: the output must carry the input soundtrack.
    public struct Soundtrack: Sendable, Codable, Equatable {
        /// Allowed difference between the output's and the input's audio length, in seconds.
        public var lengthTolerance: Double
        /// The least correlation of the two loudness envelopes (50 ms windows, in dB).
        public var minCorrelation: Double

        /// Soundtrack limits.
        public init(lengthTolerance: Double = 0.5, minCorrelation: Double = 0.5) {
            self.lengthTolerance = lengthTolerance
            self.minCorrelation = minCorrelation
        }
    }

    /// Black-frame limits.
    public var black: Black
    /// Frozen-frame limit.
    public var frozen: Frozen
    /// Start-image (and last-frame) limit.
    public var startImage: StartImage
    /// Sound limit.
    public var sound: Sound
    /// Soundtrack limits.
    public var soundtrack: Soundtrack

    /// The limits; every part defaults to the documented value.
    public init(black: Black = Black(), frozen: Frozen = Frozen(), startImage: StartImage = StartImage(),
                sound: Sound = Sound(), soundtrack: Soundtrack = Soundtrack()) {
        self.black = black
        self.frozen = frozen
        self.startImage = startImage
        self.sound = sound
        self.soundtrack = soundtrack
    }
}
