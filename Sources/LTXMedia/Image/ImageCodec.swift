import CFFmpeg
import Foundation

/// Decodes the first picture of an image (or video) file and encodes RGBA pictures as JPEG.
enum ImageCodec {
    /// A decoded picture converted to RGBA at a chosen size.
    struct Decoded {
        var image: RGBAImage
        var sourceWidth: Int
        var sourceHeight: Int
        var hasAlpha: Bool
        var pixelFormat: String
    }

    /// A window of a decoded picture and the size it is scaled to, in stored (not yet rotated) pixels.
    struct ScaleStep: Equatable {
        var cropX = 0, cropY = 0
        var cropWidth: Int, cropHeight: Int
        var width: Int, height: Int

        init(cropX: Int, cropY: Int, cropWidth: Int, cropHeight: Int, width: Int, height: Int) {
            (self.cropX, self.cropY, self.cropWidth, self.cropHeight) = (cropX, cropY, cropWidth, cropHeight)
            (self.width, self.height) = (width, height)
        }

        /// The whole stored picture scaled to `width`×`height`.
        init(storedWidth: Int, storedHeight: Int, width: Int, height: Int) {
            self.init(cropX: 0, cropY: 0, cropWidth: storedWidth, cropHeight: storedHeight, width: width, height: height)
        }
    }

    /// Opens `path` and decodes its first picture, strictly, scaled to the size `resize` returns for
    /// the stored size.
    static func decodeFirstPicture(
        _ path: String, maxPixels: Int, resize: (Int, Int) -> (Int, Int)
    ) throws(MediaError) -> Decoded {
        try decodeFirstPicture(path, maxPixels: maxPixels, outputBudget: maxPixels) { w, h in
            let (width, height) = resize(w, h)
            return ScaleStep(storedWidth: w, storedHeight: h, width: width, height: height)
        }
    }

    /// Opens `path` and decodes its first picture, strictly; `step` receives the stored size and returns
    /// the window to keep and the size to scale it to, which may hold at most `outputBudget` pixels.
    static func decodeFirstPicture(
        _ path: String, maxPixels: Int, outputBudget: Int, step: (Int, Int) -> ScaleStep
    ) throws(MediaError) -> Decoded {
        let input = try MediaProbe.openMedia(path)
        guard let index = input.streams.first(where: { $0.kind == .video })?.index else {
            throw MediaError(.notMedia, path: path, reason: "contains no picture")
        }
        do {
            input.discardAll(except: [index])
            // FFmpeg's TIFF decoder treats any tag it does not know (even ResolutionUnit, which its own
            // encoder writes) as an error under strict checking, so TIFF is decoded with default checks.
            let strict = input.describe(index).codecName != "tiff"
            let decoder = try input.decoder(forStream: index, threads: 1, strict: strict, maxPixels: maxPixels)
            let packet = try Packet()
            let frame = try Frame()
            var got = false
            while !got {
                let more = try input.read(into: packet)
                if more && packet.streamIndex != index { packet.unref(); continue }
                _ = try decoder.send(more ? packet : nil)
                packet.unref()
                got = try decoder.receive(into: frame)
                if !more && !got { break }
            }
            guard got else { throw MediaError(.damaged, path: path, reason: "does not decode: no complete picture in the file") }
            guard let pixelFormat = frame.pixelFormatName else {
                throw MediaError(.unsupportedFormat, path: path, reason: "decodes to an unknown pixel format")
            }
            let hasAlpha = frame.hasAlpha
            let scale = step(frame.width, frame.height)
            guard scale.width > 0, scale.height > 0, scale.cropWidth > 0, scale.cropHeight > 0,
                  let pixels = CheckedArithmetic.product(scale.width, scale.height), pixels <= outputBudget else {
                throw MediaError(.decompressionBomb, path: path, reason: "scaling the \(frame.width)x\(frame.height) picture would make \(scale.width)x\(scale.height), over the \(outputBudget)-pixel budget; refusing")
            }
            let sourceWidth = frame.width, sourceHeight = frame.height
            try frame.crop(x: scale.cropX, y: scale.cropY, width: scale.cropWidth, height: scale.cropHeight)
            let image = try toRGBA(frame, width: scale.width, height: scale.height)
            return Decoded(
                image: image, sourceWidth: sourceWidth, sourceHeight: sourceHeight, hasAlpha: hasAlpha,
                pixelFormat: pixelFormat
            )
        } catch let error as FFmpegError {
            throw MediaError(.damaged, path: path, reason: "does not decode completely (\(error.message))")
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError(.damaged, path: path, reason: "does not decode completely (\(error))")
        }
    }

    /// Scales and converts a decoded frame to RGBA.
    static func toRGBA(_ frame: Frame, width: Int, height: Int) throws(FFmpegError) -> RGBAImage {
        let target = try Frame(width: width, height: height, pixelFormat: AV_PIX_FMT_RGBA)
        let scaler = try Scaler(from: frame.width, frame.height, frame.pixelFormat, to: width, height, AV_PIX_FMT_RGBA)
        try scaler.scale(frame, into: target)
        var image = RGBAImage(width: width, height: height)
        guard let (plane, stride) = target.plane(0) else { return image }
        image.pixels.withUnsafeMutableBytes { dst in
            guard let d = dst.baseAddress else { return }
            for row in 0..<height { memcpy(d + row * width * 4, plane + row * stride, width * 4) }
        }
        return image
    }

    /// Encodes `image` as a baseline JPEG at quantiser `quality` (2 best … 31 smallest).
    static func encodeJPEG(_ image: RGBAImage, quality: Int) throws(FFmpegError) -> [UInt8] {
        let source = try Frame(width: image.width, height: image.height, pixelFormat: AV_PIX_FMT_RGBA)
        if let (plane, stride) = source.plane(0) {
            image.pixels.withUnsafeBytes { src in
                guard let s = src.baseAddress else { return }
                for row in 0..<image.height { memcpy(plane + row * stride, s + row * image.width * 4, image.width * 4) }
            }
        }
        let yuv = try Frame(width: image.width, height: image.height, pixelFormat: AV_PIX_FMT_YUVJ420P)
        let scaler = try Scaler(from: image.width, image.height, AV_PIX_FMT_RGBA, to: image.width, image.height, AV_PIX_FMT_YUVJ420P)
        try scaler.scale(source, into: yuv)
        return try encodeJPEG(yuv: yuv, quality: quality)
    }

    /// Scales a decoded picture straight into a JPEG of `width`×`height` (no RGBA round trip: poster frames).
    static func encodeJPEG(_ picture: Frame, width: Int, height: Int, quality: Int) throws(FFmpegError) -> [UInt8] {
        let yuv = try Frame(width: width, height: height, pixelFormat: AV_PIX_FMT_YUVJ420P)
        let scaler = try Scaler(from: picture.width, picture.height, picture.pixelFormat, to: width, height, AV_PIX_FMT_YUVJ420P)
        try scaler.scale(picture, into: yuv)
        return try encodeJPEG(yuv: yuv, quality: quality)
    }

    /// Encodes a full-range YUV 4:2:0 picture as a baseline JPEG at quantiser `quality`.
    static func encodeJPEG(yuv: Frame, quality: Int) throws(FFmpegError) -> [UInt8] {
        let width = yuv.width, height = yuv.height
        let encoder = try CodecContext.encoder(named: "mjpeg")
        encoder.configureVideo(width: width, height: height, pixelFormat: AV_PIX_FMT_YUVJ420P, frameRate: Rational(25, 1), globalHeader: false)
        encoder.configureFixedQuality(quality)
        try encoder.open()
        yuv.setQuantiser(quality)
        yuv.pts = 0
        try encoder.send(yuv)
        try encoder.send(nil as Frame?)
        let packet = try Packet()
        var bytes: [UInt8] = []
        while try encoder.receive(into: packet) {
            bytes += packet.bytes
            packet.unref()
        }
        return bytes
    }
}
