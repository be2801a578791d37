/// What a job delivers when its backend renders a size other than the one asked for (`deliver:` in a pipeline).
public enum DeliveryMode: String, Sendable, Codable, CaseIterable {
    /// The video as rendered (a requested 1920x1080 on ComfyUI is delivered 1920x1088).
    case rendered
    /// The render centre-cropped to the requested size; the render is kept in the bag as `rendered.mp4`.
    case exact
}
