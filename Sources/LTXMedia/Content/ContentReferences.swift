/// The reference pictures and soundtrack a video is compared with, read once before its frames are.
struct ContentReferences {
    var startImage: LumaThumbnail?
    var lastFrame: LumaThumbnail?
    var soundtrack: LoudnessEnvelope?

    /// Reads the files `expectation` names; a file that cannot be read is an error naming it.
    static func load(_ expectation: ContentExpectation, thumbnail size: (width: Int, height: Int)) throws(MediaError) -> ContentReferences {
        var references = ContentReferences()
        if let path = expectation.startImage { references.startImage = try picture(path, size: size) }
        if let path = expectation.lastFrame { references.lastFrame = try picture(path, size: size) }
        if let path = expectation.soundtrack { references.soundtrack = try envelope(path) }
        return references
    }

    /// The greyscale thumbnail of an image file's first picture (alpha ignored).
    static func picture(_ path: String, size: (width: Int, height: Int)) throws(MediaError) -> LumaThumbnail {
        _ = try InputFile.check(path)
        let decoded = try ImageCodec.decodeFirstPicture(path, maxPixels: InputPolicy.maxPixels) { _, _ in (size.width, size.height) }
        let pixels = decoded.image.pixels.map { p -> UInt8 in
            let r = Double(p & 0xFF), g = Double((p >> 8) & 0xFF), b = Double((p >> 16) & 0xFF)
            return UInt8(clamping: Int((0.299 * r + 0.587 * g + 0.114 * b).rounded()))
        }
        return LumaThumbnail(width: size.width, height: size.height, pixels: pixels)
    }

    /// The loudness envelope of an audio (or video) file's audio track, decoded whole.
    static func envelope(_ path: String) throws(MediaError) -> LoudnessEnvelope {
        _ = try InputFile.check(path)
        let input = try MediaProbe.openMedia(path)
        // As FFmpeg's demuxing example does before choosing a stream: some demuxers (MP3 with a Xing frame) only
        // describe their streams once the stream information is read.
        do { try input.findStreamInfo() } catch {
            throw MediaError(.damaged, path: path, reason: "cannot read its streams (\(error.message))")
        }
        guard let index = input.bestAudioStream else {
            throw MediaError(.noAudio, path: path, reason: "has no audio track to compare the video's soundtrack with")
        }
        do {
            input.discardAll(except: [index])
            let decoder = try input.decoder(forStream: index)
            let packet = try Packet(), frame = try Frame()
            let meter = LoudnessMeter()
            while true {
                let more = try input.read(into: packet)
                if more && packet.streamIndex != index { packet.unref(); continue }
                while try !decoder.send(more ? packet : nil) {
                    while try decoder.receive(into: frame) { try meter.add(frame); frame.unref() }
                }
                packet.unref()
                while try decoder.receive(into: frame) { try meter.add(frame); frame.unref() }
                if !more { break }
            }
            return try meter.finish()
        } catch {
            throw MediaError(.damaged, path: path, reason: "audio does not decode (\(error.message))")
        }
    }
}
