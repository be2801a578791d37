/// What a media file contains, as `ltxpipe probe` reports it.
public struct MediaInfo: Codable, Sendable, Equatable {
    /// The file that was probed.
    public var path: String
    /// FFmpeg's demuxer name for the container (e.g. `mov,mp4,m4a,3gp,3g2,mj2`).
    public var container: String
    /// The container's descriptive name.
    public var containerLongName: String?
    /// Container duration in seconds, when stated.
    public var duration: Double?
    /// File size in bytes.
    public var size: Int64
    /// Overall bit rate in bits per second, when known.
    public var bitRate: Int64?
    /// Every stream, in container order.
    public var streams: [StreamInfo]

    /// The first video stream, if any.
    public var video: StreamInfo? { streams.first { $0.type == .video } }
    /// The first audio stream, if any.
    public var audio: StreamInfo? { streams.first { $0.type == .audio } }
}

/// One stream of a media file.
public struct StreamInfo: Codable, Sendable, Equatable {
    /// A stream's media type.
    public enum MediaType: String, Codable, Sendable { case video, audio, subtitle, data, attachment, unknown }
    /// How a frame count was obtained.
    public enum CountSource: String, Codable, Sendable {
        /// Read from the container's index (no packets read).
        case index
        /// Counted by reading every packet (no decoding).
        case packets
    }

    /// Index of the stream in the container.
    public var index: Int
    /// Media type.
    public var type: MediaType
    /// Codec short name (`h264`, `aac`, `mjpeg`, ...).
    public var codec: String
    /// Codec descriptive name.
    public var codecLongName: String?
    /// Frame width in pixels (video).
    public var width: Int?
    /// Frame height in pixels (video).
    public var height: Int?
    /// Exact frame rate (video): avg_frame_rate, else r_frame_rate.
    public var fps: Rational?
    /// Frames (video) or packets (audio) in the stream.
    public var frameCount: Int?
    /// Where `frameCount` came from.
    public var frameCountSource: CountSource?
    /// Stream duration in seconds, when stated.
    public var duration: Double?
    /// Pixel format name (video).
    public var pixelFormat: String?
    /// Bits per component (video) or per sample (audio).
    public var bitDepth: Int?
    /// Sample rate in Hz (audio).
    public var sampleRate: Int?
    /// Channel count (audio).
    public var channels: Int?
    /// Channel layout description, e.g. `stereo` or `5.1` (audio).
    public var channelLayout: String?
    /// Sample format name (audio).
    public var sampleFormat: String?
    /// Stream bit rate in bits per second, when stated.
    public var bitRate: Int64?
}
