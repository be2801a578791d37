import Foundation

/// `deliver: exact`: a render whose size is a multiple of 32 (a local "1080p" is 1920x1088) cut down to the size
/// that was asked for. The picture is centre-cropped and re-encoded as H.264 (libx264); the audio stream is copied
/// packet for packet; every frame keeps its timestamp, so the frame rate and the frame count are the source's.
public enum ExactSizeDelivery {
    /// What a crop wrote.
    public struct Outcome: Sendable, Equatable {
        /// The source picture's size.
        public var sourceWidth: Int, sourceHeight: Int
        /// The delivered picture's size (the size asked for).
        public var width: Int, height: Int
        /// Where the kept window starts in the source picture.
        public var left: Int, top: Int
        /// Frames encoded (every frame of the source).
        public var frames: Int
        /// Audio packets copied unchanged (0 when the source has no audio).
        public var audioPackets: Int
        /// True when the source had an audio stream and it was copied.
        public var audioCopied: Bool
    }

    /// x264's constant rate factor used by default: visually lossless for a delivery.
    public static let defaultQuality = 18
    /// x264's preset used by default.
    public static let defaultPreset = "medium"

    /// Writes `output` (MP4, whole or not at all): `input`'s video centre-cropped to `width`x`height` and
    /// re-encoded as H.264 at x264 quality `crf`, with `input`'s best audio stream copied as it is.
    ///
    /// `width` and `height` must be even, positive and no larger than the source's picture; the window's
    /// offsets are rounded down to even pixels so 4:2:0 chroma stays aligned. `input` is never modified.
    /// Throws `MediaError` naming the file: `input` unreadable or without video, a size that does not fit,
    /// or `output` that cannot be written (`encoderMissing` when this FFmpeg has no libx264).
    @discardableResult
    public static func crop(input: String, output: String, width: Int, height: Int,
                            crf: Int = defaultQuality, preset: String = defaultPreset) throws(MediaError) -> Outcome {
        _ = try InputFile.check(input)
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw MediaError(.unsupportedFormat, path: input, reason: "cannot deliver \(width)x\(height): both sides must be even and positive")
        }
        guard (0...51).contains(crf) else {
            throw MediaError(.unsupportedFormat, path: input, reason: "x264 quality \(crf) is outside 0–51")
        }
        let source = try MediaProbe.openVideo(input)
        let videoIndex = try VideoVerifier.videoStream(of: source, path: input)
        let video = source.describe(videoIndex)
        guard width <= video.width, height <= video.height else {
            throw MediaError(.unsupportedFormat, path: input, reason: "cannot crop \(video.width)x\(video.height) to \(width)x\(height): the size asked for is larger than the picture")
        }
        let left = ((video.width - width) / 2) & ~1
        let top = ((video.height - height) / 2) & ~1
        let temporary = AtomicFile.temporaryPath(for: output)
        let written: CropTranscoder.Written
        do {
            written = try CropTranscoder.run(input: source, videoIndex: videoIndex, audioIndex: source.bestAudioStream, output: temporary,
                                             x: left, y: top, width: width, height: height, crf: crf, preset: preset)
        } catch {
            unlink(temporary)
            if error.operation.contains("not available") {
                throw MediaError(.encoderMissing, path: output, reason: error.description)
            }
            if error.operation.hasPrefix("avio_open") || error.operation.hasPrefix("av_write") || error.operation.hasPrefix("av_interleaved") {
                throw MediaError(.writeFailed, path: output, reason: "cannot write the cropped video (\(error.description))")
            }
            throw MediaError(.damaged, path: input, reason: "cannot crop the video (\(error.description))")
        }
        try AtomicFile.rename(temporary, to: output)
        return Outcome(sourceWidth: video.width, sourceHeight: video.height, width: width, height: height, left: left, top: top,
                       frames: written.frames, audioPackets: written.audioPackets, audioCopied: written.hasAudio)
    }
}
