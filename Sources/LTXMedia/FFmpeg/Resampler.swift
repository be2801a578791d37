import CFFmpeg

/// Sole owner of one `SwrContext`: converts sample format, rate and channel layout.
final class Resampler {
    private var context: OpaquePointer?
    let targetRate: Int

    init(
        from sourceLayout: AVChannelLayout, _ sourceFormat: AVSampleFormat, _ sourceRate: Int,
        to targetLayout: AVChannelLayout, _ targetFormat: AVSampleFormat, _ targetRate: Int
    ) throws(FFmpegError) {
        var source = sourceLayout
        var target = targetLayout
        var created: OpaquePointer? = nil
        try ffCheck(
            swr_alloc_set_opts2(&created, &target, targetFormat, Int32(clamping: targetRate), &source, sourceFormat, Int32(clamping: sourceRate), 0, nil),
            "swr_alloc_set_opts2"
        )
        context = created
        self.targetRate = targetRate
        try ffCheck(swr_init(created), "swr_init")
    }

    /// Converts what `decoder` produces to stereo planar float at `targetRate`.
    convenience init(stereoFrom decoder: CodecContext, rate targetRate: Int) throws(FFmpegError) {
        var stereo = AVChannelLayout()
        ltx_channel_layout_stereo(&stereo)
        let d = decoder.pointer.pointee
        try self.init(from: d.ch_layout, d.sample_fmt, Int(d.sample_rate), to: stereo, AV_SAMPLE_FMT_FLTP, targetRate)
    }

    deinit { swr_free(&context) }

    /// Upper bound of output samples for `inputSamples` more input (including buffered delay).
    func outputCapacity(forInput inputSamples: Int) -> Int {
        Int(swr_get_out_samples(context, Int32(clamping: inputSamples)))
    }

    /// Converts `source` (nil drains) into `target`'s buffer; returns the samples written.
    func convert(_ source: Frame?, into target: Frame, capacity: Int) throws(FFmpegError) -> Int {
        let output = target.pointer.pointee.extended_data
        let converted: Int32
        if let source, let input = source.pointer.pointee.extended_data {
            converted = input.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) {
                swr_convert(context, output, Int32(clamping: capacity), $0, source.pointer.pointee.nb_samples)
            }
        } else {
            converted = swr_convert(context, output, Int32(clamping: capacity), nil, 0)
        }
        try ffCheck(converted, "swr_convert")
        return Int(converted)
    }
}
