/// Recognises upload formats by their first bytes (magic numbers), never by file name.
enum MediaSniffer {
    /// Image formats the reference accepts for image-to-video.
    enum ImageFormat: String, Sendable { case jpeg, png, webp, gif }
    /// Audio formats the reference accepts for audio-to-video.
    enum AudioFormat: String, Sendable { case mp3, wav, ogg, m4a, aac }

    /// The image format of `bytes`, or nil when it is none of JPEG, PNG, WebP, GIF.
    static func imageFormat(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(16))
        if starts(head, [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(head, ascii("RIFF")), head.count >= 12, Array(head[8..<12]) == ascii("WEBP") { return .webp }
        if starts(head, ascii("GIF87a")) || starts(head, ascii("GIF89a")) { return .gif }
        return nil
    }

    /// The audio format of `bytes`, or nil when it is none of MP3, WAV, Ogg, M4A, ADTS AAC.
    static func audioFormat(_ bytes: some Collection<UInt8>) -> AudioFormat? {
        let head = Array(bytes.prefix(16))
        if starts(head, ascii("ID3")) { return .mp3 }
        if starts(head, ascii("RIFF")), head.count >= 12, Array(head[8..<12]) == ascii("WAVE") { return .wav }
        if starts(head, ascii("OggS")) { return .ogg }
        if head.count >= 8, Array(head[4..<8]) == ascii("ftyp") { return .m4a }
        if head.count >= 2, head[0] == 0xFF {
            let second = head[1]
            // ADTS: 12-bit sync, layer bits 00.
            if second & 0xF6 == 0xF0 { return .aac }
            // MPEG audio frame: 11-bit sync, version not reserved (01), layer not reserved (00).
            if second & 0xE0 == 0xE0, second & 0x18 != 0x08, second & 0x06 != 0 { return .mp3 }
        }
        return nil
    }

    private static func starts(_ head: [UInt8], _ prefix: [UInt8]) -> Bool {
        head.count >= prefix.count && Array(head[0..<prefix.count]) == prefix
    }

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
}
