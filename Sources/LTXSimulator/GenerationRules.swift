import Foundation

/// The simulator's own reading of ltx-2-api-reference.md: presets, ranges, defaults, file limits and prices.
///
/// Deliberately independent of the client's catalog and validator, so that each checks the other.
struct GenerationRules: Sendable {
    /// The reference's rules.
    static let reference = GenerationRules()

    let frameRates = [25, 50]
    let defaultModel = VideoModel.fast
    let defaultResolution = ResolutionPreset.fullHD
    let defaultFPS = 25
    let defaultDuration = 6
    /// "Max size: 20MB" (decimal megabytes).
    let maxImageBytes = 20_000_000
    /// "Max size: 50MB" (decimal megabytes).
    let maxAudioBytes = 50_000_000

    /// Price per second of video in millionths of a USD.
    func pricePerSecond(_ model: VideoModel, _ resolution: ResolutionPreset) -> Int64 {
        switch (model, resolution) {
        case (.fast, .fullHD): return 20_000
        case (.fast, .quadHD): return 40_000
        case (.fast, .ultraHD): return 80_000
        case (.pro, .fullHD): return 50_000
        case (.pro, .quadHD): return 100_000
        case (.pro, .ultraHD): return 200_000
        }
    }

    /// Cost of a generation in millionths of a USD.
    func cost(of spec: GenerationSpec) -> Int64 {
        pricePerSecond(spec.model, spec.resolution) * Int64(spec.duration)
    }

    /// The allowed durations and the rule's name for messages ("for ltx-2-pro").
    func durationRange(mode: GenerationMode, model: VideoModel, resolution: ResolutionPreset, fps: Int) -> (ClosedRange<Int>, String) {
        if model == .pro { return (6...10, "for ltx-2-pro") }
        if mode == .imageToVideo { return (6...10, "for image-to-video") }
        if resolution == .fullHD, fps == 25 { return (6...20, "for ltx-2-fast at 1920x1080 and 25 fps") }
        return (6...10, "for ltx-2-fast at \(resolution.rawValue) and \(fps) fps")
    }

    /// Checks a submit against every rule; the first broken one is thrown with a message naming it.
    ///
    /// Order: parameters (400), then a missing or non-http(s) input (400), then file size (413), then file content (422).
    func validate(_ form: SubmissionForm, mode: GenerationMode) throws(SimulatorError) -> GenerationSpec {
        let prompt = try form.string("prompt") ?? ""
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid("prompt is required and must not be empty")
        }

        // A2V is pro-only, so an absent model there means ltx-2-pro rather than a guaranteed rejection.
        let model: VideoModel
        if let name = try form.string("model") {
            guard let parsed = VideoModel(rawValue: name) else {
                throw .invalid("model \"\(name)\" is not supported; use \(VideoModel.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            model = parsed
        } else {
            model = mode == .audioToVideo ? .pro : defaultModel
        }
        if mode == .audioToVideo, model != .pro {
            throw .invalid("audio-to-video supports only ltx-2-pro, got \(model.rawValue)")
        }

        let resolution: ResolutionPreset
        if let name = try form.string("resolution") {
            guard let parsed = ResolutionPreset(rawValue: name) else {
                throw .invalid("resolution \"\(name)\" is not supported; use \(Self.list(ResolutionPreset.allCases.map(\.rawValue)))")
            }
            resolution = parsed
        } else {
            resolution = defaultResolution
        }
        if mode == .audioToVideo, resolution != .fullHD {
            throw .invalid("audio-to-video supports only 1920x1080, got \(resolution.rawValue)")
        }

        let fps = try form.integer("fps") ?? defaultFPS
        guard frameRates.contains(fps) else {
            throw .invalid("fps \(fps) is not supported; use \(Self.list(frameRates.map(String.init)))")
        }

        let duration = try form.integer("duration") ?? defaultDuration
        let (range, rule) = durationRange(mode: mode, model: model, resolution: resolution, fps: fps)
        guard range.contains(duration) else {
            throw .invalid("duration \(duration) is outside \(range.lowerBound)-\(range.upperBound) \(rule)")
        }

        let seed = try form.integer("seed")

        var spec = GenerationSpec(mode: mode, prompt: prompt, model: model, resolution: resolution, duration: duration, fps: fps, seed: seed)
        switch mode {
        case .textToVideo:
            break
        case .imageToVideo:
            spec.image = try input(form, field: "image", mode: mode, limit: maxImageBytes) { bytes in
                MediaSniffer.imageFormat(bytes).map(\.rawValue)
            } formats: { "JPEG, PNG, WebP or GIF" }
            if case .file(let file)? = form.fields["image"] { spec.imageBytes = Array(file.bytes) }
        case .audioToVideo:
            spec.audio = try input(form, field: "audio", mode: mode, limit: maxAudioBytes) { bytes in
                MediaSniffer.audioFormat(bytes).map(\.rawValue)
            } formats: { "MP3, WAV, Ogg, M4A or AAC" }
            if case .file(let file)? = form.fields["audio"] { spec.audioBytes = Array(file.bytes) }
        }
        return spec
    }

    /// Reads the `image`/`audio` input: an http(s) URL or an uploaded file of an accepted format and size.
    private func input(
        _ form: SubmissionForm, field: String, mode: GenerationMode, limit: Int,
        sniff: (ArraySlice<UInt8>) -> String?, formats: () -> String
    ) throws(SimulatorError) -> MediaInput {
        switch form.fields[field] {
        case nil, .null?:
            throw .invalid("\(mode.rawValue) needs \(field == "image" ? "an image" : "an audio file"): a file part named \(field) or an http(s) URL in the \(field) field")
        case .text(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let scheme = Self.scheme(of: trimmed) else {
                throw .invalid("\(field) \"\(Self.clip(trimmed))\" is not a URL; send an http(s) URL or upload the file as a part named \(field)")
            }
            guard scheme == "http" || scheme == "https" else {
                throw .invalid("\(field) URL must use http or https, got \(scheme)")
            }
            guard Self.hasHost(trimmed) else {
                throw .invalid("\(field) URL \"\(Self.clip(trimmed))\" has no host")
            }
            return .url(trimmed)
        case .file(let file)?:
            guard file.bytes.count <= limit else {
                throw SimulatorError(.fileTooLarge, "\(field) is \(file.bytes.count) bytes; the limit is \(limit) bytes (\(limit / 1_000_000) MB)")
            }
            guard let format = sniff(file.bytes) else {
                let named = file.filename.map { " (\($0))" } ?? ""
                throw SimulatorError(.unsupportedFormat, "\(field)\(named) is not \(formats()) by its content; convert it and retry")
            }
            return .file(byteCount: file.bytes.count, format: format)
        case let other?:
            throw .invalid("\(field) must be a URL string or an uploaded file, got \(other.typeName)")
        }
    }

    private static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return scheme.lowercased()
    }

    private static func hasHost(_ url: String) -> Bool {
        guard let range = url.range(of: "://") else { return false }
        let rest = url[range.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return !host.isEmpty && !host.hasPrefix(":")
    }

    private static func clip(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    private static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}
