import Foundation
import LTXAPI

/// Where an input comes from: a local file (preflighted, then uploaded) or an http(s) URL (passed through).
public enum InputSource: Sendable, Equatable {
    /// A local file.
    case file(String)
    /// An http(s) URL.
    case url(String)

    /// Parses a command-line value: http(s) URLs as URLs, other schemes refused, anything else a path.
    public static func parse(_ text: String) -> Result<InputSource, APIError> {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard URL(string: text)?.host != nil else { return .failure(.rejectedLocally("\(text): not a valid URL")) }
            return .success(.url(text))
        }
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), text[..<colon].count > 1, text.contains("://") {
            return .failure(.rejectedLocally("\(text): only http and https URLs are accepted"))
        }
        return .success(.file(text))
    }
}

/// The inputs a job names, by role, before preflight.
public struct InputSources: Sendable, Equatable {
    /// Start image (image-to-video; optional for audio-to-video on ltx-v2).
    public var image: InputSource?
    /// Soundtrack (audio-to-video).
    public var audio: InputSource?
    /// Last frame (image-to-video on models that take one).
    public var lastFrame: InputSource?

    /// Creates the sources.
    public init(image: InputSource? = nil, audio: InputSource? = nil, lastFrame: InputSource? = nil) {
        self.image = image
        self.audio = audio
        self.lastFrame = lastFrame
    }
}
