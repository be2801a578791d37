import Foundation

/// What kind of input a file is, judged by its content rather than its name.
public enum InputKind: String, Sendable, Codable {
    case image, audio, video

    /// File name extensions that promise a picture.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff", "heic", "heif", "avif"]
    /// File name extensions that promise sound.
    public static let audioExtensions: Set<String> = ["mp3", "wav", "ogg", "oga", "m4a", "aac", "flac", "opus", "aif", "aiff", "wma"]

    /// Classifies `path`: an image by its header, else audio or video by the streams FFmpeg finds.
    public static func detect(_ path: String) throws(MediaError) -> InputKind {
        let size = try InputFile.check(path)
        let head = try InputFile.head(path, count: 64)
        if head.withUnsafeBytes({ ImageHeader.read($0) }) != nil {
            return .image
        }
        _ = size
        let ext = (path as NSString).pathExtension.lowercased()
        if imageExtensions.contains(ext) {
            throw MediaError(.notMedia, path: path, reason: "named .\(ext) but the content is not an image (not JPEG, PNG, GIF, WebP, BMP or TIFF)")
        }
        let input = try MediaProbe.openMedia(path)
        do { try input.findStreamInfo() } catch {
            throw MediaError(.damaged, path: path, reason: "cannot read stream information (\(error.message))")
        }
        let streams = input.streams
        if streams.contains(where: \.isVideo) { return .video }
        if streams.contains(where: { $0.kind == .audio }) { return .audio }
        throw MediaError(.notMedia, path: path, reason: "contains neither pictures nor sound (container \(input.formatName))")
    }
}
