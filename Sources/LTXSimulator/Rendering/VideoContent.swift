import Foundation
import LTXMedia

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
        // A start image is followed by the bands, no longer by its mirror image (cached renders of before differ).
        let start = startImage.map { "-start2-" + String($0.digest, radix: 16) } ?? ""
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

/// The input audio of an audio-to-video request, identified by its digest; ``audio()`` turns it into an MP4 track.
struct InputAudioTrack: Sendable, Hashable {
    /// FNV-1a of the input bytes: identifies the track (and its cached renders).
    let digest: UInt64
    /// The input file as received.
    let bytes: [UInt8]

    static func == (lhs: InputAudioTrack, rhs: InputAudioTrack) -> Bool { lhs.digest == rhs.digest }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// Audio the service takes (WAV, MP3, Ogg, M4A, ADTS AAC by content); nil for anything else.
    init?(_ bytes: [UInt8]) {
        guard MediaSniffer.audioFormat(bytes) != nil else { return nil }
        self.bytes = bytes
        digest = FNV1a.digest(bytes)
    }

    /// The track as it goes into the MP4: WAV as its PCM, MP3 frame for frame, anything else (Ogg, M4A, AAC) first
    /// transcoded to MP3 by LTXMedia's audio preflight. Nil when none of that works. Blocking: call off the
    /// cooperative pool.
    func audio() -> MP4Writer.Audio? {
        if let direct = WAVReader.read(bytes) ?? MP3FrameReader.read(bytes) { return direct }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-audio-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
        let input = folder.appendingPathComponent("input").path
        guard FileManager.default.createFile(atPath: input, contents: Data(bytes)) else { return nil }
        var target = AudioTarget(maxDuration: 3_600, maxBytes: Int64(Int32.max))
        target.forceTranscode = true
        guard let report = try? AudioPreflight.run(input, target: target, outputDirectory: folder.path), let output = report.output,
              output != input, let mp3 = FileManager.default.contents(atPath: output)
        else { return nil }
        return MP3FrameReader.read([UInt8](mp3))
    }
}
