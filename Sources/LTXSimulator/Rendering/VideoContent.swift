/// What a simulated video shows and sounds like, besides its shape (``LTXMedia/TestPattern``).
///
/// The standard content is the test pattern that moves frame to frame with a 440 Hz tone, rendered by
/// `TestPatternWriter`; everything else (the content faults, an input soundtrack carried through) is rendered by
/// ``ContentVideoWriter``.
struct VideoContent: Sendable, Hashable {
    /// The pictures.
    enum Picture: String, Sendable {
        /// Moving pictures (the standard test pattern, or diagonal bands sliding sideways).
        case moving
        /// Every frame black.
        case black
        /// One picture repeated for every frame.
        case frozen
        /// Moving pictures that start from a picture unlike any start image (a checkerboard).
        case otherPicture = "other-picture"
    }

    /// The soundtrack (when the video has one).
    enum Sound: Sendable, Hashable {
        /// A 440 Hz tone.
        case tone
        /// Digital silence.
        case silence
        /// A soundtrack unlike the one asked for: a 1320 Hz tone whose loudness swells and fades.
        case otherSoundtrack
        /// The input audio of an audio-to-video request, carried through unchanged.
        case input(InputAudioTrack)
    }

    var picture: Picture = .moving
    var sound: Sound = .tone
    /// The start image that moving (or frozen) pictures begin from (image-to-video, audio-to-video with an image).
    var startImage: StartImage?

    /// The content `TestPatternWriter` renders.
    static let standard = VideoContent()

    var isStandard: Bool { self == .standard }

    /// Whether a job with this content delivers a content failure (what stats count).
    var isFailure: Bool {
        picture != .moving || sound == .silence || sound == .otherSoundtrack
    }

    /// A short name for cache file names: empty for the standard content.
    var cacheTag: String {
        guard !isStandard else { return "" }
        let sound: String
        switch self.sound {
        case .tone: sound = "tone"
        case .silence: sound = "silent"
        case .otherSoundtrack: sound = "other-audio"
        case .input(let track): sound = "input-" + String(track.digest, radix: 16)
        }
        let start = startImage.map { "-start-" + String($0.digest, radix: 16) } ?? ""
        return "-\(picture.rawValue)-\(sound)\(start)"
    }
}

/// The bytes of a start image, identified by their FNV-1a digest (so renders of the same image are shared).
struct StartImage: Sendable, Hashable {
    let digest: UInt64
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        digest = FNV1a.digest(bytes)
    }

    static func == (lhs: StartImage, rhs: StartImage) -> Bool { lhs.digest == rhs.digest }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}

/// The 64-bit FNV-1a hash.
enum FNV1a {
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// Input audio in a form the simulator can put in an MP4 without decoding it: PCM from a WAV file, or MP3 frames.
struct InputAudioTrack: Sendable, Hashable {
    /// FNV-1a of the input bytes: identifies the track (and its cached renders).
    let digest: UInt64
    /// The samples, ready for the MP4 writer.
    let audio: MP4Writer.Audio

    static func == (lhs: InputAudioTrack, rhs: InputAudioTrack) -> Bool { lhs.digest == rhs.digest }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// Reads WAV (8/16/24/32-bit integer or 32-bit float PCM, at most 65535 Hz) or MP3; nil for anything else.
    init?(_ bytes: [UInt8]) {
        guard let audio = WAVReader.read(bytes) ?? MP3FrameReader.read(bytes) else { return nil }
        self.audio = audio
        digest = FNV1a.digest(bytes)
    }
}
