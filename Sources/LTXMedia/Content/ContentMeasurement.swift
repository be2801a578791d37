/// What the content pass saw: per-frame luma levels, exact repeats, likeness to the reference pictures,
/// and the loudness of the output's audio (and of the input soundtrack).
public struct ContentMeasurement: Sendable, Equatable {
    /// Mean and standard deviation of one analysed frame's luma (full range, on its thumbnail).
    public struct FrameLevel: Sendable, Equatable {
        /// Mean luma, 0…255.
        public var mean: Double
        /// Standard deviation of luma.
        public var spread: Double

        /// One frame's levels.
        public init(mean: Double, spread: Double) {
            self.mean = mean
            self.spread = spread
        }
    }

    /// True when only sampled frames were analysed (sampled mode), false when every frame was.
    public var sampled: Bool
    /// Levels of each analysed frame, in decoding order.
    public var frames: [FrameLevel]
    /// Consecutive frame pairs compared.
    public var pairs: Int
    /// Pairs whose luma planes are byte for byte identical.
    public var identicalPairs: Int
    /// SSIM of the first frame with the start image, when one was given.
    public var startImageSimilarity: Double?
    /// SSIM of the last frame with the `last_frame` image, when one was given.
    public var lastFrameSimilarity: Double?
    /// The output's audio, when it has a track that decoded.
    public var audio: LoudnessEnvelope?
    /// True when `audio` covers a few windows of the track (sampled mode's sound check), not all of it.
    public var audioWindowed: Bool = false
    /// The input soundtrack, when one was given.
    public var soundtrack: LoudnessEnvelope?
    /// Why the analysis stopped early, when it did.
    public var error: String?

    /// Describes a content pass.
    public init(sampled: Bool, frames: [FrameLevel], pairs: Int, identicalPairs: Int, startImageSimilarity: Double? = nil,
                lastFrameSimilarity: Double? = nil, audio: LoudnessEnvelope? = nil, soundtrack: LoudnessEnvelope? = nil, error: String? = nil) {
        self.sampled = sampled
        self.frames = frames
        self.pairs = pairs
        self.identicalPairs = identicalPairs
        self.startImageSimilarity = startImageSimilarity
        self.lastFrameSimilarity = lastFrameSimilarity
        self.audio = audio
        self.soundtrack = soundtrack
        self.error = error
    }
}
