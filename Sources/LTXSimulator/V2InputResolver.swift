import LTXCore
import Foundation
import LTXMedia

/// Reads the input URIs of an ltx-v2 submit (`image_uri`, `last_frame_uri`, `audio_uri`): uploads, `https://` URLs
/// and `data:` URIs; checks sizes and formats by content, and measures audio for audio-to-video.
struct V2InputResolver: Sendable {
    /// What an input must be.
    enum Kind: Sendable {
        case image, audio

        var formats: String {
            switch self {
            case .image: return "PNG, JPEG or WEBP"
            case .audio: return "WAV, MP3, M4A (AAC) or OGG"
            }
        }
    }

    let rules: V2Rules
    let environment: SimulatorEnvironment

    /// Resolves every input of `request`; the first problem is thrown (400, or 413 for an oversized `data:` URI).
    func resolve(_ request: V2Request) async throws(SimulatorError) -> V2Spec {
        var spec = V2Spec(request: request)
        switch request.mode {
        case .textToVideo:
            break
        case .imageToVideo:
            let image = try await input(request.imageURI, field: "image_uri", kind: .image)
            spec.image = image.input
            spec.imageBytes = image.bytes
            if let lastFrame = request.lastFrameURI {
                spec.lastFrame = try await input(lastFrame, field: "last_frame_uri", kind: .image).input
            }
        case .audioToVideo:
            let audio = try await input(request.audioURI, field: "audio_uri", kind: .audio)
            spec.audio = audio.input
            let seconds: Double
            if let bytes = audio.bytes {
                seconds = try await Self.measureAudio(bytes, format: audio.format)
            } else {
                seconds = environment.configuration.assumedRemoteAudioSeconds
            }
            guard rules.audioSeconds.contains(seconds) else {
                throw .invalid(
                    "audio_uri is \(Self.format(seconds)) s long; audio-to-video takes audio of \(Self.format(rules.audioSeconds.lowerBound))-\(Self.format(rules.audioSeconds.upperBound)) s")
            }
            spec.audioSeconds = seconds
            spec.audioBytes = audio.bytes
            if let imageURI = request.imageURI {
                let image = try await input(imageURI, field: "image_uri", kind: .image)
                spec.image = image.input
                spec.imageBytes = image.bytes
                // Without a resolution the video follows the image's orientation (an unreadable size keeps 1920x1080).
                if !request.resolutionGiven, let bytes = image.bytes, Self.isPortrait(bytes) {
                    spec.request.resolution = .portrait1080
                }
            }
        }
        return spec
    }

    /// One resolved input, with its bytes when the simulator has them (uploads and `data:` URIs).
    private struct Resolved {
        let input: V2Input
        let bytes: [UInt8]?
        let format: String
    }

    private func input(_ uri: String?, field: String, kind: Kind) async throws(SimulatorError) -> Resolved {
        guard let uri = uri?.trimmingCharacters(in: .whitespacesAndNewlines), !uri.isEmpty else {
            throw .invalid("\(field) is required: an ltx://uploads/... URI, an https:// URL or a data: URI")
        }
        let lower = uri.lowercased()
        if lower.hasPrefix("ltx://") {
            return try await upload(uri, field: field, kind: kind)
        }
        if lower.hasPrefix("data:") {
            return try inline(uri, field: field, kind: kind)
        }
        if lower.hasPrefix("https://") {
            try Self.checkRemote(uri, field: field)
            return Resolved(input: .remote(uri), bytes: nil, format: "remote")
        }
        if lower.hasPrefix("http://") {
            throw .invalid("\(field) must use https, not http: \(Self.clip(uri))")
        }
        throw .invalid("\(field) \"\(Self.clip(uri))\" is not an ltx://uploads/... URI, an https:// URL or a data: URI")
    }

    private func upload(_ uri: String, field: String, kind: Kind) async throws(SimulatorError) -> Resolved {
        let prefix = "ltx://uploads/"
        guard uri.hasPrefix(prefix) else {
            throw .invalid("\(field) \"\(Self.clip(uri))\" is not a storage URI; use the storage_uri returned by POST /v1/upload")
        }
        let id = String(uri.dropFirst(prefix.count))
        switch await environment.state.upload(id: id, at: environment.clock.now()) {
        case .unknown:
            throw .invalid("\(field) \(uri) does not exist; use the storage_uri returned by POST /v1/upload")
        case .notUploaded:
            throw .invalid("\(field) \(uri) has no file yet: PUT the bytes to its upload_url first")
        case .expired:
            throw .invalid("\(field) \(uri) has expired (uploads are kept 24 h); upload the file again")
        case .found(let bytes):
            let format = try Self.sniff(bytes, field: field, kind: kind)
            return Resolved(input: .upload(id: id, byteCount: bytes.count, format: format), bytes: bytes, format: format)
        }
    }

    private func inline(_ uri: String, field: String, kind: Kind) throws(SimulatorError) -> Resolved {
        let limit = kind == .image ? rules.maxInlineImageBytes : rules.maxInlineAudioBytes
        let size = uri.utf8.count
        guard size <= limit else {
            throw SimulatorError(
                .fileTooLarge,
                "\(field) data: URI is \(size) bytes; at most \(limit) bytes encoded for \(kind == .image ? "images" : "audio"); upload the file with POST /v1/upload instead")
        }
        guard let comma = uri.firstIndex(of: ",") else {
            throw .invalid("\(field) is not a valid data: URI; write data:<mime>;base64,<data>")
        }
        let header = uri[uri.index(uri.startIndex, offsetBy: 5)..<comma]
        guard header.lowercased().hasSuffix(";base64") else {
            throw .invalid("\(field) data: URI must be base64-encoded; write data:<mime>;base64,<data>")
        }
        guard let data = Data(base64Encoded: String(uri[uri.index(after: comma)...])), !data.isEmpty else {
            throw .invalid("\(field) data: URI does not hold valid base64 data")
        }
        let bytes = [UInt8](data)
        let format = try Self.sniff(bytes, field: field, kind: kind)
        return Resolved(input: .inline(byteCount: bytes.count, format: format), bytes: bytes, format: format)
    }

    /// The format by content (magic bytes); this dialect answers a wrong format with 400 (422 is the safety filter).
    private static func sniff(_ bytes: [UInt8], field: String, kind: Kind) throws(SimulatorError) -> String {
        let format: String?
        switch kind {
        case .image:
            format = MediaSniffer.imageFormat(bytes).flatMap { $0 == .gif ? nil : $0.rawValue }
        case .audio:
            format = MediaSniffer.audioFormat(bytes).flatMap { $0 == .aac ? nil : $0.rawValue }
        }
        guard let format else {
            throw .invalid("\(field) is not \(kind == .image ? "an image" : "audio") in a supported format; use \(kind.formats)")
        }
        return format
    }

    /// Whether an image is taller than wide as displayed (EXIF orientation applied), read from its header.
    private static func isPortrait(_ bytes: [UInt8]) -> Bool {
        let size = bytes.withUnsafeBytes { ImageHeader.read($0)?.displaySize }
        guard let size else { return false }
        return size.height > size.width
    }

    /// An `https://` URL with a host name (not a bare IP address).
    private static func checkRemote(_ uri: String, field: String) throws(SimulatorError) {
        guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty else {
            throw .invalid("\(field) \"\(clip(uri))\" is not a well-formed https:// URL with a host name")
        }
        let isIPv4 = host.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && host.allSatisfy { $0.isNumber || $0 == "." }
        if isIPv4 || host.contains(":") || host.hasPrefix("[") {
            throw .invalid("\(field) must name a host, not a bare IP address (\(host))")
        }
    }

    /// The length of audio bytes in seconds, measured with MediaProbe on a temporary file.
    private static func measureAudio(_ bytes: [UInt8], format: String) async throws(SimulatorError) -> Double {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ltxsim-audio-\(UUID().uuidString).\(format)").path
        let unreadable = SimulatorError.invalid("audio_uri could not be read as \(format) audio; send WAV, MP3, M4A (AAC) or OGG")
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw SimulatorError(.serverError, "could not write the audio to a temporary file to measure it; retry")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info: MediaInfo
        do {
            info = try await SimulatorWork.run { () throws(MediaError) -> MediaInfo in try MediaProbe.probe(path) }
        } catch {
            throw unreadable
        }
        guard let stream = info.audio, let seconds = stream.duration ?? info.duration, seconds.isFinite, seconds > 0 else {
            throw unreadable
        }
        return seconds
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.2f", seconds)
    }

    private static func clip(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
