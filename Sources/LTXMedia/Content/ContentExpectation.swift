/// What a video's picture and sound are compared with, and how strictly.
public struct ContentExpectation: Sendable, Codable, Equatable {
    /// The limits each check applies.
    public var thresholds: ContentThresholds
    /// The (preflighted) start image the first frame must resemble.
    public var startImage: String?
    /// The image sent as `last_frame`, which the last frame must resemble.
    public var lastFrame: String?
    /// The input soundtrack (audio-to-video) the output's audio must carry.
    public var soundtrack: String?

    /// Content checks with `thresholds`, comparing with the given files.
    public init(thresholds: ContentThresholds = ContentThresholds(), startImage: String? = nil, lastFrame: String? = nil, soundtrack: String? = nil) {
        self.thresholds = thresholds
        self.startImage = startImage
        self.lastFrame = lastFrame
        self.soundtrack = soundtrack
    }
}
