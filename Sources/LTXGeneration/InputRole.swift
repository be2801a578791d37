/// What an input file is for: it decides the preflight rules and the request field it fills.
public enum InputRole: String, Sendable, Codable, CaseIterable {
    case image
    case audio
    case lastFrame = "last_frame"

    /// The preflight folder's sub-folder for the role (start image and last frame may share a name).
    var folder: String { self == .lastFrame ? "last-frame" : "" }
}
