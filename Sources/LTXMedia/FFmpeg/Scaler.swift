import CFFmpeg

/// Sole owner of one `SwsContext`: converts and scales frames between pixel formats and sizes.
final class Scaler {
    private let context: OpaquePointer
    let sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int

    init(
        from sourceWidth: Int, _ sourceHeight: Int, _ sourceFormat: AVPixelFormat,
        to targetWidth: Int, _ targetHeight: Int, _ targetFormat: AVPixelFormat,
        flags: Int32 = SWS_BICUBIC
    ) throws(FFmpegError) {
        guard let sw = Int32(exactly: sourceWidth), let sh = Int32(exactly: sourceHeight),
              let tw = Int32(exactly: targetWidth), let th = Int32(exactly: targetHeight),
              let context = sws_getContext(sw, sh, sourceFormat, tw, th, targetFormat,
            flags | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nil, nil, nil
        ) else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "sws_getContext (\(sourceWidth)x\(sourceHeight) → \(targetWidth)x\(targetHeight))")
        }
        self.context = context
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
    }

    deinit { sws_freeContext(context) }

    /// Scales all of `source` into `target`, whose buffer must already exist.
    func scale(_ source: Frame, into target: Frame) throws(FFmpegError) {
        let src = source.pointer
        let dst = target.pointer
        let status = withUnsafePointer(to: &src.pointee.data) { srcData in
            withUnsafePointer(to: &src.pointee.linesize) { srcStride in
                withUnsafePointer(to: &dst.pointee.data) { dstData in
                    withUnsafePointer(to: &dst.pointee.linesize) { dstStride in
                        srcData.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { s in
                            srcStride.withMemoryRebound(to: Int32.self, capacity: 8) { ss in
                                dstData.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { d in
                                    dstStride.withMemoryRebound(to: Int32.self, capacity: 8) { ds in
                                        sws_scale(context, s, ss, 0, Int32(clamping: sourceHeight), d, ds)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try ffCheck(status, "sws_scale")
    }
}
