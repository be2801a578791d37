import CFFmpeg

/// Sole owner of the `SwsContext` that shrinks decoded pictures to small greyscale thumbnails for the
/// content checks. 8-bit planar YUV (and grey, NV12) is scaled from its luma plane alone, as GRAY8, so no
/// chroma is touched; any other format is converted whole. Values come back in full range (0 black … 255 white).
final class LumaThumbnailer {
    let width: Int, height: Int
    private var context: OpaquePointer?
    private var source: (width: Int, height: Int, format: AVPixelFormat, lumaOnly: Bool)?
    private let target: Frame
    /// Limited-range luma (16…235) to full range, clamped.
    private static let expand: [UInt8] = (0..<256).map { UInt8(clamping: Int((Double($0 - 16) * 255 / 219).rounded())) }

    init(width: Int, height: Int) throws(FFmpegError) {
        self.width = width
        self.height = height
        target = try Frame(width: width, height: height, pixelFormat: AV_PIX_FMT_GRAY8)
    }

    deinit { sws_freeContext(context) }

    /// The thumbnail of `frame`.
    func thumbnail(of frame: Frame) throws(FFmpegError) -> LumaThumbnail {
        let format = frame.pixelFormat
        if source == nil || source?.width != frame.width || source?.height != frame.height || source?.format != format {
            sws_freeContext(context)
            context = nil
            let lumaOnly = Self.hasEightBitLumaPlane(format)
            guard let sw = Int32(exactly: frame.width), let sh = Int32(exactly: frame.height), sw > 0, sh > 0,
                  let created = sws_getContext(sw, sh, lumaOnly ? AV_PIX_FMT_GRAY8 : format,
                                               Int32(clamping: width), Int32(clamping: height), AV_PIX_FMT_GRAY8,
                                               SWS_AREA, nil, nil, nil) else {
                throw FFmpegError(code: ltx_averror(EINVAL), operation: "sws_getContext (\(frame.width)x\(frame.height) → \(width)x\(height) grey)")
            }
            context = created
            source = (frame.width, frame.height, format, lumaOnly)
        }
        let lumaOnly = source?.lumaOnly ?? false
        let src = frame.pointer
        let dst = target.pointer
        let status = withUnsafePointer(to: &src.pointee.data) { srcData in
            withUnsafePointer(to: &src.pointee.linesize) { srcStride in
                withUnsafePointer(to: &dst.pointee.data) { dstData in
                    withUnsafePointer(to: &dst.pointee.linesize) { dstStride in
                        srcData.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { s in
                            srcStride.withMemoryRebound(to: Int32.self, capacity: 8) { ss in
                                dstData.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { d in
                                    dstStride.withMemoryRebound(to: Int32.self, capacity: 8) { ds -> Int32 in
                                        if lumaOnly {
                                            // Only the first plane: the luma plane read as a GRAY8 picture.
                                            var plane: [UnsafePointer<UInt8>?] = [s[0], nil, nil, nil]
                                            var stride: [Int32] = [ss[0], 0, 0, 0]
                                            return sws_scale(context, &plane, &stride, 0, Int32(clamping: frame.height), d, ds)
                                        }
                                        return sws_scale(context, s, ss, 0, Int32(clamping: frame.height), d, ds)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try ffCheck(status, "sws_scale")
        var pixels = [UInt8](repeating: 0, count: width * height)
        guard let (plane, stride) = target.plane(0) else { return LumaThumbnail(width: width, height: height, pixels: pixels) }
        let fullRange = frame.isFullRange || !lumaOnly && Self.isRGB(format)
        pixels.withUnsafeMutableBufferPointer { out in
            Self.expand.withUnsafeBufferPointer { table in
                for row in 0..<height {
                    let line = plane + row * stride
                    for column in 0..<width {
                        out[row * width + column] = fullRange ? line[column] : table[Int(line[column])]
                    }
                }
            }
        }
        return LumaThumbnail(width: width, height: height, pixels: pixels)
    }

    /// True when plane 0 of `format` is 8-bit luma, one byte per pixel (yuv420p, yuvj420p, nv12, gray...).
    static func hasEightBitLumaPlane(_ format: AVPixelFormat) -> Bool {
        guard let d = av_pix_fmt_desc_get(format) else { return false }
        let flags = d.pointee.flags
        if flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0 || flags & UInt64(AV_PIX_FMT_FLAG_PAL) != 0
            || flags & UInt64(AV_PIX_FMT_FLAG_BITSTREAM) != 0 || flags & UInt64(AV_PIX_FMT_FLAG_HWACCEL) != 0 { return false }
        let luma = d.pointee.comp.0
        return luma.plane == 0 && luma.depth == 8 && luma.step == 1 && luma.shift == 0
    }

    static func isRGB(_ format: AVPixelFormat) -> Bool {
        guard let d = av_pix_fmt_desc_get(format) else { return false }
        return d.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0
    }
}

extension Frame {
    /// True when the picture uses full-range (JPEG) levels rather than video levels (16…235).
    var isFullRange: Bool {
        if pointer.pointee.color_range == AVCOL_RANGE_JPEG { return true }
        let format = pixelFormat
        return format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P
    }

    /// A second reference to the same picture (no pixels copied).
    func reference() throws(FFmpegError) -> Frame {
        let copy = try Frame()
        try ffCheck(av_frame_ref(copy.pointer, pointer), "av_frame_ref")
        return copy
    }

    /// True when `other` has the same size and format and every byte of the luma plane is equal.
    func hasSameLuma(as other: Frame) -> Bool {
        guard width == other.width, height == other.height, pixelFormat == other.pixelFormat,
              LumaThumbnailer.hasEightBitLumaPlane(pixelFormat),
              let (a, strideA) = plane(0), let (b, strideB) = other.plane(0) else { return false }
        for row in 0..<height where memcmp(a + row * strideA, b + row * strideB, width) != 0 { return false }
        return true
    }
}
