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
        try self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = pixelFormat.rawValue
        try ffCheck(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    /// A frame with its own audio buffer.
    convenience init(samples: Int, format: AVSampleFormat, layout: AVChannelLayout, sampleRate: Int) throws(FFmpegError) {
        try self.init()
        pointer.pointee.nb_samples = Int32(samples)
        pointer.pointee.format = format.rawValue
        pointer.pointee.sample_rate = Int32(sampleRate)
        var source = layout
        try ffCheck(av_channel_layout_copy(&pointer.pointee.ch_layout, &source), "av_channel_layout_copy")
        try ffCheck(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    deinit {
        var p: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&p)
    }

    func unref() { av_frame_unref(pointer) }

    /// Makes the buffer writable (copying it when a codec still references it).
    func makeWritable() throws(FFmpegError) { try ffCheck(av_frame_make_writable(pointer), "av_frame_make_writable") }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }
    var sampleCount: Int { Int(pointer.pointee.nb_samples) }
}
