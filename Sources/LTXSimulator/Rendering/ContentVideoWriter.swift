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
        case .black:
            source = PictureSource(.black, width: pattern.width, height: pattern.height)
        case .moving, .frozen:
            source = content.startImage.flatMap { imageSource($0, width: pattern.width, height: pattern.height) }
                ?? PictureSource(.bands, width: pattern.width, height: pattern.height)
        case .otherPicture:
            source = PictureSource(.checkerboard, width: pattern.width, height: pattern.height)
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

    /// The start image as the first picture: brought to `width × height` the way LTXMedia's preflight does it
    /// (orientation applied, centre-cropped, scaled, written as JPEG), decoded and converted to limited-range 4:2:0.
    /// Nil when it cannot be read (the video then starts from the test bands).
    static func imageSource(_ image: StartImage, width: Int, height: Int) -> PictureSource? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-start-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        let input = folder.appendingPathComponent("start").path
        guard FileManager.default.createFile(atPath: input, contents: Data(image.bytes)) else { return nil }
        var target = ImageTarget(width: width, height: height, fit: .crop, maxBytes: Int64(Int32.max))
        target.forceTranscode = true
        guard let report = try? ImagePreflight.run(input, target: target, outputDirectory: folder.path), let output = report.output,
              let jpeg = FileManager.default.contents(atPath: output), let decoded = JPEGDecoder.decode([UInt8](jpeg))
        else { return nil }
        return PictureSource(image: planes(decoded, width: width, height: height))
    }

    /// Full-range JPEG planes resampled (nearest sample) to `width × height` and converted to limited-range 4:2:0.
    static func planes(_ picture: JPEGDecoder.Picture, width: Int, height: Int) -> PictureSource.ImagePlanes {
        func sample(_ plane: Int, _ x: Int, _ y: Int) -> Int {
            guard plane < picture.planes.count else { return 128 }
            let sx = min(picture.width - 1, x * picture.width / width)
            let sy = min(picture.height - 1, y * picture.height / height)
            return Int(picture.planes[plane][sy * picture.width + sx])
        }
        var luma = [UInt8](repeating: 16, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                luma[y * width + x] = UInt8(16 + (sample(0, x, y) * 219 + 127) / 255)
            }
        }
        let chromaWidth = width / 2, chromaHeight = height / 2
        var cb = [UInt8](repeating: 128, count: chromaWidth * chromaHeight)
        var cr = cb
        for y in 0..<chromaHeight {
            for x in 0..<chromaWidth {
                var sums = (0, 0)
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    sums.0 += sample(1, 2 * x + dx, 2 * y + dy)
                    sums.1 += sample(2, 2 * x + dx, 2 * y + dy)
                }
                cb[y * chromaWidth + x] = UInt8(128 + ((sums.0 / 4 - 128) * 224) / 255)
                cr[y * chromaWidth + x] = UInt8(128 + ((sums.1 / 4 - 128) * 224) / 255)
            }
        }
        return PictureSource.ImagePlanes(width: width, height: height, luma: luma, cb: cb, cr: cr)
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
