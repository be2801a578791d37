/// What the ltx-v2 simulator charges: USD per second of output video by model and tier (the frame's short side:
/// `720p`, `1080p`, `1440p`, `2160p`), and USD per second of input audio for audio-to-video by model.
///
/// A price missing from the list is unknown, not zero: a job built on it is accepted and charged nothing, and stats
/// count it in ``SimulatorStats/unpricedGenerations`` instead of inventing a cost.
public struct LTXV2PriceList: Sendable, Equatable, Codable {
    /// Model name → tier name → USD per second of video.
    public var perSecond: [String: [String: Double]]
    /// Model name → USD per second of input audio (audio-to-video).
    public var audioToVideoPerSecond: [String: Double]

    /// A price list; ``facts`` is the published one.
    public init(perSecond: [String: [String: Double]], audioToVideoPerSecond: [String: Double]) {
        self.perSecond = perSecond
        self.audioToVideoPerSecond = audioToVideoPerSecond
    }

    /// The prices the November 2026 facts give (published by LTX or by resellers that agree with every published
    /// point); the ones found nowhere are left out, so they stay unknown.
    public static let facts = LTXV2PriceList(
        perSecond: [
            "ltx-2-3-fast": ["720p": 0.03, "1080p": 0.06, "1440p": 0.12, "2160p": 0.24],
            "ltx-2-3-pro": ["1080p": 0.08, "1440p": 0.16, "2160p": 0.32],
            "ltx-2-5-fast": ["720p": 0.09],
            "ltx-2-5-pro": [:],
        ],
        audioToVideoPerSecond: ["ltx-2-3-pro": 0.10])

    /// USD per second of video for `model` at `tier`, nil when unknown.
    public func price(model: String, tier: String) -> Double? {
        perSecond[model]?[tier]
    }
}
