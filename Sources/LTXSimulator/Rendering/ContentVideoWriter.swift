import Foundation
import LTXMedia

/// Writes the MP4s whose pictures or sound the simulator must control (``VideoContent``), without FFmpeg:
/// H.264 from ``PCMVideoEncoder`` and the soundtrack as 16-bit PCM or carried-through MP3 frames.
enum ContentVideoWriter {
    /// Sample rate of the generated soundtracks.
    static let sampleRate = 48_000
    /// Luma pixels the moving pictures scroll left per frame.
    static let step = 2

    /// Writes `pattern` (size, rate, frame count, whether there is audio) with `content` to `path` (a temporary file
    /// renamed into place).
    static func write(_ pattern: TestPattern, content: VideoContent, to path: String) throws(MediaError) {
        guard pattern.width > 0, pattern.height > 0, pattern.width % 2 == 0, pattern.height % 2 == 0, pattern.frameCount > 0,
              pattern.fps.numerator > 0, pattern.fps.denominator > 0 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "cannot render \(pattern.width)x\(pattern.height) with \(pattern.frameCount) frames")
        }
        let bytes = build(pattern, content: content)
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw MediaError(.writeFailed, path: path, reason: "cannot write the rendered video")
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MediaError(.writeFailed, path: path, reason: "cannot move the rendered video into place: \(error.localizedDescription)")
        }
    }

    /// The MP4's bytes.
    static func build(_ pattern: TestPattern, content: VideoContent) -> [UInt8] {
        let encoder = PCMVideoEncoder(width: pattern.width, height: pattern.height, fps: pattern.fps)
        let source: PictureSource
        switch content.picture {
        case .black: source = PictureSource(.black, width: pattern.width, height: pattern.height)
        case .moving, .frozen: source = PictureSource(.bands, width: pattern.width, height: pattern.height)
        case .otherPicture: source = PictureSource(.checkerboard, width: pattern.width, height: pattern.height)
        }
        let motion: PCMVideoEncoder.Motion
        switch content.picture {
        case .moving, .otherPicture: motion = .scroll(source, pixels: step)
        case .black, .frozen: motion = .still
        }
        var writer = MP4Writer()
        writer.width = pattern.width
        writer.height = pattern.height
        writer.fps = pattern.fps
        writer.decoderConfiguration = encoder.decoderConfiguration()
        writer.videoSamples.reserveCapacity(pattern.frameCount)
        writer.videoSamples.append(NALUnit.lengthPrefixed(encoder.intraPicture(source)))
        for frame in 1..<max(1, pattern.frameCount) {
            writer.videoSamples.append(NALUnit.lengthPrefixed(encoder.interPicture(frameNumber: frame, motion: motion)))
        }
        if pattern.audio {
            let seconds = Double(pattern.frameCount) * Double(pattern.fps.denominator) / Double(pattern.fps.numerator)
            writer.audio = soundtrack(content.sound, seconds: seconds)
        }
        return writer.build()
    }

    /// The audio track for `sound`, `seconds` long (an input track keeps its own length).
    static func soundtrack(_ sound: VideoContent.Sound, seconds: Double) -> MP4Writer.Audio {
        let count = Int((seconds * Double(sampleRate)).rounded())
        var samples = [Int16](repeating: 0, count: count)
        switch sound {
        case .input(let track):
            return track.audio
        case .silence:
            break
        case .tone:
            for index in 0..<count {
                samples[index] = Int16((0.2 * sin(2 * Double.pi * 440 * Double(index) / Double(sampleRate)) * 32_767).rounded())
            }
        case .otherSoundtrack:
            for index in 0..<count {
                let time = Double(index) / Double(sampleRate)
                let envelope = 0.05 + 0.3 * (0.5 - 0.5 * cos(2 * Double.pi * 0.7 * time))
                samples[index] = Int16((envelope * sin(2 * Double.pi * 1320 * time) * 32_767).rounded())
            }
        }
        return .pcm(samples: samples, channels: 1, sampleRate: sampleRate)
    }
}
