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
        let lumaRange: [UInt8] = (0..<256).map { (value: Int) -> UInt8 in UInt8(16 + (value * 219 + 127) / 255) }
        let chromaRange: [UInt8] = (0..<256).map { (value: Int) -> UInt8 in UInt8(128 + ((value - 128) * 224) / 255) }
        let columns = (0..<width).map { min(picture.width - 1, $0 * picture.width / width) }
        let rows = (0..<height).map { min(picture.height - 1, $0 * picture.height / height) }
        let grey = [UInt8](repeating: 128, count: picture.width * picture.height)
        let sourceCb = picture.planes.count > 2 ? picture.planes[1] : grey
        let sourceCr = picture.planes.count > 2 ? picture.planes[2] : grey
        var luma = [UInt8](repeating: 16, count: width * height)
        let chromaWidth = width / 2, chromaHeight = height / 2
        var cb = [UInt8](repeating: 128, count: chromaWidth * chromaHeight)
        var cr = cb
        picture.planes[0].withUnsafeBufferPointer { source in
            luma.withUnsafeMutableBufferPointer { luma in
                for y in 0..<height {
                    let row = rows[y] * picture.width
                    for x in 0..<width { luma[y * width + x] = lumaRange[Int(source[row + columns[x]])] }
                }
            }
        }
        for (source, target) in [(sourceCb, 0), (sourceCr, 1)] {
            var plane = [UInt8](repeating: 128, count: chromaWidth * chromaHeight)
            source.withUnsafeBufferPointer { source in
                plane.withUnsafeMutableBufferPointer { plane in
                    for y in 0..<chromaHeight {
                        let top = rows[2 * y] * picture.width, bottom = rows[min(height - 1, 2 * y + 1)] * picture.width
                        for x in 0..<chromaWidth {
                            let left = columns[2 * x], right = columns[min(width - 1, 2 * x + 1)]
                            let upper = Int(source[top + left]) + Int(source[top + right])
                            let lower = Int(source[bottom + left]) + Int(source[bottom + right])
                            let sum = upper + lower
                            plane[y * chromaWidth + x] = chromaRange[(sum + 2) / 4]
                        }
                    }
                }
            }
            if target == 0 { cb = plane } else { cr = plane }
        }
        return PictureSource.ImagePlanes(width: width, height: height, luma: luma, cb: cb, cr: cr)
    }

    /// The audio track for `sound`, `seconds` long (an input track keeps its own length).
    static func soundtrack(_ sound: VideoContent.Sound, seconds: Double) -> MP4Writer.Audio {
        let count = Int((seconds * Double(sampleRate)).rounded())
        var samples = [Int16](repeating: 0, count: count)
        switch sound {
        case .input(let track):
            // Unreadable input audio still gets a track, the tone, so only the soundtrack check can tell.
            if let audio = track.audio() { return audio }
            return soundtrack(.tone, seconds: seconds)
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
