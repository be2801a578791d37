import CFFmpeg

/// Sole owner of one `AVCodecContext`, used either as a decoder or as an encoder.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>
    let codec: UnsafePointer<AVCodec>

    private init(codec: UnsafePointer<AVCodec>) throws(FFmpegError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw FFmpegError(code: ltx_averror_enomem(), operation: "avcodec_alloc_context3")
        }
        self.codec = codec
        pointer = context
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&p)
    }

    /// A decoder for a demuxed stream's parameters. `threads` 0 lets FFmpeg pick one per core.
    static func decoder(
        for parameters: UnsafePointer<AVCodecParameters>,
        threads: Int = 1,
        strict: Bool = false,
        maxPixels: Int? = nil,
        fast: Bool = false
    ) throws(FFmpegError) -> CodecContext {
        FFmpegLibrary.configure()
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw FFmpegError(code: ltx_averror_decoder_not_found(), operation: "avcodec_find_decoder")
        }
        let name = String(cString: codec.pointee.name)
        guard InputPolicy.allowsDecoder(name) else {
            throw FFmpegError(code: ltx_averror_decoder_not_found(), operation: "decoder \(name) is not one ltxpipe uses")
        }
        let context = try CodecContext(codec: codec)
        try ffCheck(avcodec_parameters_to_context(context.pointer, parameters), "avcodec_parameters_to_context")
        context.pointer.pointee.thread_count = Int32(clamping: threads)
        if threads != 1 { context.pointer.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE }
        if strict { context.pointer.pointee.err_recognition = ltx_err_explode() }
        context.pointer.pointee.max_pixels = Int64(maxPixels ?? InputPolicy.maxPixels)
        if fast { context.pointer.pointee.flags2 |= AV_CODEC_FLAG2_FAST }
        var dictionary: OpaquePointer? = nil
        av_dict_set(&dictionary, "codec_whitelist", InputPolicy.codecWhitelist, 0)
        defer { av_dict_free(&dictionary) }
        try ffCheck(avcodec_open2(context.pointer, codec, &dictionary), "avcodec_open2")
        return context
    }

    /// An encoder found by name (e.g. "libx264", "mjpeg", "libmp3lame"); configure it, then call `open()`.
    static func encoder(named name: String) throws(FFmpegError) -> CodecContext {
        FFmpegLibrary.configure()
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw FFmpegError(code: ltx_averror(ENOSYS), operation: "encoder \(name) not available in this FFmpeg build")
        }
        return try CodecContext(codec: codec)
    }

    /// Opens a configured encoder with codec-specific `options` (e.g. libx264's `preset`).
    func open(options: [String: String] = [:]) throws(FFmpegError) {
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try ffCheck(avcodec_open2(pointer, codec, &dictionary), "avcodec_open2(\(String(cString: codec.pointee.name)))")
    }

    /// Sends one packet (nil flushes). Returns false when the decoder wants frames read first.
    func send(_ packet: Packet?) throws(FFmpegError) -> Bool {
        let status = avcodec_send_packet(pointer, packet?.pointer)
        if status == ltx_averror_eagain() { return false }
        if status == ltx_averror_eof() { return true }
        try ffCheck(status, "avcodec_send_packet")
        return true
    }

    /// Receives one decoded frame; false when none is ready (EAGAIN) or the stream ended (EOF).
    func receive(into frame: Frame) throws(FFmpegError) -> Bool {
        let status = avcodec_receive_frame(pointer, frame.pointer)
        if status == ltx_averror_eagain() || status == ltx_averror_eof() { return false }
        try ffCheck(status, "avcodec_receive_frame")
        return true
    }

    /// Drops every buffered packet and frame (after a seek), keeping the decoder open.
    func flush() { avcodec_flush_buffers(pointer) }

    /// Decodes without the in-loop deblocking filter (faster; the picture is a little blockier, and the same
    /// every time).
    func skipLoopFilter() { pointer.pointee.skip_loop_filter = AVDISCARD_ALL }

    /// With `skip`, B-frames are passed over (sent packets produce nothing); without, every frame decodes.
    func skipBidirectionalFrames(_ skip: Bool) { pointer.pointee.skip_frame = skip ? AVDISCARD_BIDIR : AVDISCARD_DEFAULT }

    /// Sends one frame to an encoder (nil flushes).
    func send(_ frame: Frame?) throws(FFmpegError) {
        try ffCheck(avcodec_send_frame(pointer, frame?.pointer), "avcodec_send_frame")
    }

    /// Receives one encoded packet; false when none is ready or the encoder is drained.
    func receive(into packet: Packet) throws(FFmpegError) -> Bool {
        let status = avcodec_receive_packet(pointer, packet.pointer)
        if status == ltx_averror_eagain() || status == ltx_averror_eof() { return false }
        try ffCheck(status, "avcodec_receive_packet")
        return true
    }

    var codecName: String { String(cString: codec.pointee.name) }
    var frameSize: Int { Int(pointer.pointee.frame_size) }

    /// Sample rate in Hz (audio).
    var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    /// Channel count (audio).
    var channelCount: Int { Int(pointer.pointee.ch_layout.nb_channels) }
    /// Channel layout name (`mono`, `stereo`, `5.1`), when FFmpeg can describe it.
    var channelLayoutName: String? { ChannelLayoutName.describe(pointer.pointee.ch_layout) }
    /// Timestamp unit of the frames sent to or received from it.
    var timeBase: Rational { Rational(Int(pointer.pointee.time_base.num), Int(pointer.pointee.time_base.den)) }

    /// Sets up a video encoder: picture size and format, time base of one frame at `frameRate`.
    func configureVideo(width: Int, height: Int, pixelFormat: AVPixelFormat, frameRate: Rational, globalHeader: Bool) {
        let rate = AVRational(num: Int32(clamping: frameRate.numerator), den: Int32(clamping: frameRate.denominator))
        pointer.pointee.width = Int32(clamping: width)
        pointer.pointee.height = Int32(clamping: height)
        pointer.pointee.pix_fmt = pixelFormat
        pointer.pointee.time_base = AVRational(num: rate.den, den: rate.num)
        pointer.pointee.framerate = rate
        if globalHeader { pointer.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
    }

    /// Keyframe interval and no B-frames (so packets come out in presentation order).
    func configureGOP(size: Int, bFrames: Int) {
        pointer.pointee.gop_size = Int32(clamping: size)
        pointer.pointee.max_b_frames = Int32(clamping: bFrames)
    }

    /// Fixed quantiser `quality` for every frame (JPEG-style 2 best … 31 smallest).
    func configureFixedQuality(_ quality: Int) {
        pointer.pointee.flags |= AV_CODEC_FLAG_QSCALE
        pointer.pointee.global_quality = Int32(clamping: quality) * ltx_ff_qp2lambda()
    }

    /// Sets up a stereo audio encoder: planar float samples at `sampleRate`, time base one sample.
    func configureStereoAudio(sampleRate: Int, bitRate: Int, globalHeader: Bool) {
        pointer.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        pointer.pointee.sample_rate = Int32(clamping: sampleRate)
        ltx_channel_layout_stereo(&pointer.pointee.ch_layout)
        pointer.pointee.bit_rate = Int64(bitRate)
        pointer.pointee.time_base = AVRational(num: 1, den: Int32(clamping: sampleRate))
        if globalHeader { pointer.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
    }
}
