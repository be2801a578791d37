/// The parameters of one generation request, before it is put on the wire.
public struct GenerationParameters: Sendable, Codable, Equatable {
    /// Which kind of generation.
    public var mode: GenerationMode
    /// The prompt.
    public var prompt: String
    /// Model name.
    public var model: String
    /// Output resolution.
    public var resolution: Resolution
    /// Duration in seconds; nil for `auto` (models with `auto_duration`: the service picks the length, sent as null).
    public var duration: Int?
    /// Frame rate.
    public var fps: Int
    /// Seed, for reproducibility.
    public var seed: Int?
    /// Whether the video gets a soundtrack (ltx-v2; default true there).
    public var generateAudio: Bool?
    /// Camera motion preset (ltx-v2).
    public var cameraMotion: String?
    /// Guidance scale for audio-to-video (ltx-v2).
    public var guidanceScale: Double?

    /// Fills unset values from the catalog's defaults (audio-to-video defaults to its only model). With
    /// `autoDuration` the length is left to the service and `duration` is ignored.
    public init(mode: GenerationMode, prompt: String, model: String? = nil, resolution: Resolution? = nil,
                duration: Int? = nil, autoDuration: Bool = false, fps: Int? = nil, seed: Int? = nil, generateAudio: Bool? = nil, cameraMotion: String? = nil,
                guidanceScale: Double? = nil, catalog: Catalog = .generations) {
        let rule = catalog.modeRules.first { $0.mode == mode }
        self.mode = mode
        self.prompt = prompt
        self.model = model ?? rule?.models?.first ?? catalog.defaults.model
        self.resolution = resolution ?? rule?.resolutions?.first ?? catalog.defaults.resolution
        self.duration = autoDuration ? nil : duration ?? catalog.defaults.duration
        self.fps = fps ?? rule?.fixedFps ?? catalog.defaults.fps
        self.seed = seed
        self.generateAudio = generateAudio
        self.cameraMotion = cameraMotion
        self.guidanceScale = guidanceScale
    }
}

extension GenerationParameters {
    /// The duration as people read it: `6 s`, or `auto`.
    public var durationText: String { duration.map { "\($0) s" } ?? "auto" }
}
