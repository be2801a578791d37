/// What a video file is, as measured: the facts `VideoVerifier.judge` compares with a request.
public struct VideoMeasurement: Sendable, Equatable {
    /// How the frame count was obtained, and what reading that way showed about the file's integrity.
    public enum Integrity: Sendable, Equatable {
        /// From the container's index: how many packets it lists and the byte where the last one ends.
        case index(entries: Int, lastByte: Int64)
        /// By reading every video packet: the read error that stopped the count early, if any.
        case packets(readError: String?)
    }

    /// What decoding every frame showed (deep mode).
    public struct Decoding: Sendable, Equatable {
        /// Video frames that decoded.
        public var decodedFrames: Int
        /// The first video frame that failed, when one did.
        public var firstBadFrame: Int?
        /// Why video decoding stopped, when it failed.
        public var error: String?
        /// Audio frames that decoded.
        public var decodedAudioFrames: Int
        /// Why audio decoding failed, when it did.
        public var audioError: String?

        /// Describes a decoding pass.
        public init(decodedFrames: Int, firstBadFrame: Int? = nil, error: String? = nil, decodedAudioFrames: Int = 0, audioError: String? = nil) {
            self.decodedFrames = decodedFrames
            self.firstBadFrame = firstBadFrame
            self.error = error
            self.decodedAudioFrames = decodedAudioFrames
            self.audioError = audioError
        }
    }

    /// The measured file.
    public var path: String
    /// File size in bytes.
    public var size: Int64
    /// Container (demuxer) name.
    public var container: String
    /// Video codec name.
    public var videoCodec: String
    /// True when this FFmpeg build can decode the video codec.
    public var videoDecodable: Bool
    /// Picture size in pixels.
    public var width: Int, height: Int
    /// Exact frame rate, when the file states one.
    public var fps: Rational?
    /// Video frame count.
    public var frames: Int
    /// Where `frames` came from and what that showed.
    public var integrity: Integrity
    /// True when the file has an audio stream.
    public var hasAudio: Bool
    /// Audio codec name, when there is audio and FFmpeg knows its codec.
    public var audioCodec: String?
    /// The decoding pass, in deep mode.
    public var decoding: Decoding?

    /// Describes a measured video.
    public init(
        path: String, size: Int64, container: String, videoCodec: String, videoDecodable: Bool = true,
        width: Int, height: Int, fps: Rational?, frames: Int, integrity: Integrity,
        hasAudio: Bool = false, audioCodec: String? = nil, decoding: Decoding? = nil
    ) {
        self.path = path
        self.size = size
        self.container = container
        self.videoCodec = videoCodec
        self.videoDecodable = videoDecodable
        self.width = width
        self.height = height
        self.fps = fps
        self.frames = frames
        self.integrity = integrity
        self.hasAudio = hasAudio
        self.audioCodec = audioCodec
        self.decoding = decoding
    }
}
