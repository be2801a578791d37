import CFFmpeg

/// Sole owner of one `AVFrame`.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(FFmpegError) {
        guard let p = av_frame_alloc() else { throw FFmpegError(code: ltx_averror_enomem(), operation: "av_frame_alloc") }
        pointer = p
    }

    /// A frame with its own video buffer of the given size and pixel format.
    convenience init(width: Int, height: Int, pixelFormat: AVPixelFormat) throws(FFmpegError) {
        guard let w = Int32(exactly: width), let h = Int32(exactly: height), w > 0, h > 0 else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "frame size \(width)x\(height)")
        }
        try self.init()
        pointer.pointee.width = w
        pointer.pointee.height = h
        pointer.pointee.format = pixelFormat.rawValue
        try ffCheck(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    /// A frame with its own audio buffer.
    convenience init(samples: Int, format: AVSampleFormat, layout: AVChannelLayout, sampleRate: Int) throws(FFmpegError) {
        guard let count = Int32(exactly: samples), let rate = Int32(exactly: sampleRate), count > 0, rate > 0 else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "audio frame of \(samples) samples at \(sampleRate) Hz")
        }
        try self.init()
        pointer.pointee.nb_samples = count
        pointer.pointee.format = format.rawValue
        pointer.pointee.sample_rate = rate
        var source = layout
        try ffCheck(av_channel_layout_copy(&pointer.pointee.ch_layout, &source), "av_channel_layout_copy")
        try ffCheck(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    /// A frame with its own stereo planar-float buffer of `samples` samples at `sampleRate`.
    convenience init(stereoSamples samples: Int, sampleRate: Int) throws(FFmpegError) {
        var stereo = AVChannelLayout()
        ltx_channel_layout_stereo(&stereo)
        try self.init(samples: samples, format: AV_SAMPLE_FMT_FLTP, layout: stereo, sampleRate: sampleRate)
    }

    deinit {
        var p: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&p)
    }

    func unref() { av_frame_unref(pointer) }

    /// Makes the buffer writable (copying it when a codec still references it).
    func makeWritable() throws(FFmpegError) { try ffCheck(av_frame_make_writable(pointer), "av_frame_make_writable") }

    /// Narrows the picture to the window at (`x`, `y`) of `width`×`height` without copying pixels.
    /// Formats that pack several pixels in a byte (1-bit) are first converted to 8-bit grey.
    func crop(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) throws(FFmpegError) {
        let fullWidth = width, fullHeight = height
        if x == 0, y == 0, cropWidth == fullWidth, cropHeight == fullHeight { return }
        guard x >= 0, y >= 0, cropWidth > 0, cropHeight > 0, x <= fullWidth - cropWidth, y <= fullHeight - cropHeight else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "crop \(cropWidth)x\(cropHeight)+\(x)+\(y) of \(fullWidth)x\(fullHeight)")
        }
        if let descriptor = av_pix_fmt_desc_get(pixelFormat), (descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_BITSTREAM)) != 0 {
            let grey = try Frame(width: fullWidth, height: fullHeight, pixelFormat: AV_PIX_FMT_GRAY8)
            try Scaler(from: fullWidth, fullHeight, pixelFormat, to: fullWidth, fullHeight, AV_PIX_FMT_GRAY8).scale(self, into: grey)
            unref()
            try ffCheck(av_frame_ref(pointer, grey.pointer), "av_frame_ref")
        }
        pointer.pointee.crop_left = x
        pointer.pointee.crop_top = y
        pointer.pointee.crop_right = fullWidth - x - cropWidth
        pointer.pointee.crop_bottom = fullHeight - y - cropHeight
        try ffCheck(av_frame_apply_cropping(pointer, Int32(AV_FRAME_CROP_UNALIGNED)), "av_frame_apply_cropping")
    }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }

    /// Samples per channel (audio); setting it shortens a frame whose buffer holds more.
    var sampleCount: Int {
        get { Int(pointer.pointee.nb_samples) }
        set { pointer.pointee.nb_samples = Int32(clamping: newValue) }
    }

    /// Presentation timestamp, in the time base of whoever reads it.
    var pts: Int64 {
        get { pointer.pointee.pts }
        set { pointer.pointee.pts = newValue }
    }

    /// The decoder's best guess at the presentation timestamp, nil when it has none.
    var bestEffortTimestamp: Int64? {
        let value = pointer.pointee.best_effort_timestamp
        return value == ltx_av_nopts_value() ? nil : value
    }

    /// Width of one pixel relative to its height, when the stream states one.
    var sampleAspectRatio: Rational? { Rational(pointer.pointee.sample_aspect_ratio) }

    /// JPEG-style quantiser for an encoder (2 best … 31 smallest).
    func setQuantiser(_ quality: Int) {
        pointer.pointee.quality = Int32(clamping: quality) * ltx_ff_qp2lambda()
    }

    /// True when the picture's pixel format carries alpha.
    var hasAlpha: Bool {
        guard let descriptor = av_pix_fmt_desc_get(pixelFormat) else { return false }
        return (descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_ALPHA)) != 0
    }

    /// Name of the pixel format (`rgba`, `yuv420p`), nil when FFmpeg does not know it.
    var pixelFormatName: String? { av_pix_fmt_desc_get(pixelFormat).map { String(cString: $0.pointee.name) } }

    /// Plane `index`'s first byte and its bytes per row, nil when the frame has no such plane.
    func plane(_ index: Int) -> (base: UnsafeMutablePointer<UInt8>, stride: Int)? {
        let f = pointer.pointee
        let planes = [f.data.0, f.data.1, f.data.2, f.data.3]
        let strides = [f.linesize.0, f.linesize.1, f.linesize.2, f.linesize.3]
        guard index >= 0, index < planes.count, let base = planes[index] else { return nil }
        return (base, Int(strides[index]))
    }
}
