import CFFmpeg

/// Sole owner of an `AVFormatContext` writing one file, and of its `AVIOContext`.
final class OutputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    private var ioOpen = false
    private var headerWritten = false

    init(path: String, formatName: String) throws(FFmpegError) {
        FFmpegLibrary.configure()
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let status = avformat_alloc_output_context2(&context, nil, formatName, path)
        guard status >= 0, let created = context else {
            throw FFmpegError(code: status < 0 ? status : ltx_averror_enomem(), operation: "avformat_alloc_output_context2")
        }
        pointer = created
        if (created.pointee.oformat.pointee.flags & AVFMT_NOFILE) == 0 {
            try ffCheck(avio_open(&created.pointee.pb, path, AVIO_FLAG_WRITE), "avio_open")
            ioOpen = true
        }
    }

    deinit {
        if ioOpen { avio_closep(&pointer.pointee.pb) }
        avformat_free_context(pointer)
    }

    var needsGlobalHeader: Bool { (pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// One stream of the file being written, fed by one encoder.
    struct Stream {
        fileprivate let pointer: UnsafeMutablePointer<AVStream>
        /// The encoder whose packets go to this stream.
        let encoder: CodecContext
    }

    /// Adds a stream whose parameters come from an opened encoder; `frameRate` is stated in the header.
    func addStream(from encoder: CodecContext, frameRate: Rational? = nil) throws(FFmpegError) -> Stream {
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw FFmpegError(code: ltx_averror_enomem(), operation: "avformat_new_stream")
        }
        try ffCheck(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.pointer), "avcodec_parameters_from_context")
        stream.pointee.time_base = encoder.pointer.pointee.time_base
        if let frameRate {
            stream.pointee.avg_frame_rate = AVRational(num: Int32(clamping: frameRate.numerator), den: Int32(clamping: frameRate.denominator))
        }
        return Stream(pointer: stream, encoder: encoder)
    }

    /// Moves every packet `stream`'s encoder has ready into the file, timestamps rescaled to the stream.
    func drain(_ stream: Stream, using packet: Packet) throws(FFmpegError) {
        while try stream.encoder.receive(into: packet) {
            av_packet_rescale_ts(packet.pointer, stream.encoder.pointer.pointee.time_base, stream.pointer.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointer.pointee.index
            try writeInterleaved(packet)
        }
    }

    func writeHeader(options: [String: String] = [:]) throws(FFmpegError) {
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try ffCheck(avformat_write_header(pointer, &dictionary), "avformat_write_header")
        headerWritten = true
    }

    /// Writes `packet` (timestamps already in the stream's time base), interleaving streams by dts.
    func writeInterleaved(_ packet: Packet) throws(FFmpegError) {
        try ffCheck(av_interleaved_write_frame(pointer, packet.pointer), "av_interleaved_write_frame")
    }

    func writeTrailer() throws(FFmpegError) {
        guard headerWritten else { return }
        try ffCheck(av_write_trailer(pointer), "av_write_trailer")
    }
}
