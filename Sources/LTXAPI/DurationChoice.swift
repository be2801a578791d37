import Foundation

/// A requested length: whole seconds, or `auto` (the service picks it; only models with `auto_duration` offer it).
public enum DurationChoice: Sendable, Equatable, CustomStringConvertible {
    case seconds(Int)
    case auto

    /// Reads `6` or `auto`; nil for anything else (a negative or zero length included).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "auto" { self = .auto; return }
        guard let value = Int(trimmed), value > 0 else { return nil }
        self = .seconds(value)
    }

    /// The seconds asked for, nil for `auto`.
    public var seconds: Int? {
        if case .seconds(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .seconds(let value): return String(value)
        case .auto: return "auto"
        }
    }
}

extension GenerationParameters {
    /// Parameters whose length is `choice` (nil: the catalog's default).
    public init(mode: GenerationMode, prompt: String, model: String? = nil, resolution: Resolution? = nil,
                choice: DurationChoice?, fps: Int? = nil, seed: Int? = nil, generateAudio: Bool? = nil, cameraMotion: String? = nil,
                guidanceScale: Double? = nil, catalog: Catalog = .generations) {
        self.init(mode: mode, prompt: prompt, model: model, resolution: resolution, duration: choice?.seconds,
                  autoDuration: choice == .auto, fps: fps, seed: seed, generateAudio: generateAudio, cameraMotion: cameraMotion,
                  guidanceScale: guidanceScale, catalog: catalog)
    }
}

extension DurationChoice: Codable {
    /// A JSON number of seconds, or the string `"auto"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            guard seconds > 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "duration must be a positive number of seconds or \"auto\"")
            }
            self = .seconds(seconds)
            return
        }
        guard let text = try? container.decode(String.self), text.lowercased() == "auto" else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "duration must be a positive number of seconds or \"auto\"")
        }
        self = .auto
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .seconds(let value): try container.encode(value)
        case .auto: try container.encode("auto")
        }
    }
}

extension DurationChoice: ExpressibleByIntegerLiteral {
    /// `6` reads as six seconds.
    public init(integerLiteral value: Int) { self = .seconds(value) }
}
