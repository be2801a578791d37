import CFFmpeg

/// Sole owner of an `AVFormatContext` opened for reading one file.
final class InputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String

    /// Opens `path` and reads the container header; `formatName` forces a demuxer.
    init(path: String, formatName: String? = nil, options: [String: String] = [:]) throws(FFmpegError) {
        FFmpegLibrary.configure()
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        let format = formatName.flatMap { av_find_input_format($0) }
        let status = avformat_open_input(&context, path, format, &dictionary)
        guard status >= 0, let opened = context else {
            throw FFmpegError(code: status < 0 ? status : ltx_averror_invaliddata(), operation: "avformat_open_input")
        }
        pointer = opened
        self.path = path
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }

    /// Probes packets to fill in stream parameters the header left out (decodes when it must).
    func findStreamInfo() throws(FFmpegError) {
        try ffCheck(avformat_find_stream_info(pointer, nil), "avformat_find_stream_info")
    }

    var streamCount: Int { Int(pointer.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[index]!
    }

    var formatName: String {
        pointer.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
    }

    var formatLongName: String? {
        pointer.pointee.iformat.flatMap { $0.pointee.long_name.map { String(cString: $0) } }
    }

    /// Container duration in seconds, when the container states one.
    var durationSeconds: Double? {
        let d = pointer.pointee.duration
        guard d != ltx_av_nopts_value(), d > 0 else { return nil }
        return Double(d) / Double(ltx_av_time_base())
    }

    var bitRate: Int64 { pointer.pointee.bit_rate }

    /// Index of the best stream of `type`, or nil.
    func bestStream(_ type: AVMediaType) -> Int? {
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return index >= 0 ? Int(index) : nil
    }

    /// Reads the next packet; false at end of file.
    func read(into packet: Packet) throws(FFmpegError) -> Bool {
        let status = av_read_frame(pointer, packet.pointer)
        if status == ltx_averror_eof() { return false }
        try ffCheck(status, "av_read_frame")
        return true
    }

    /// Tells the demuxer to discard every stream but `keep`.
    func discardAll(except keep: Set<Int>) {
        for i in 0..<streamCount where !keep.contains(i) {
            stream(i).pointee.discard = AVDISCARD_ALL
        }
    }
}
