import CFFmpeg
import LTXCore

/// Sole owner of an `AVFormatContext` opened for reading one file.
final class InputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String
    /// The stage deadline bound when it was opened: past it, FFmpeg's I/O and `read` stop with AVERROR_EXIT.
    /// Held here so the pointer FFmpeg's interrupt callback is given stays valid as long as the context.
    let deadline: StageDeadline?

    /// Opens `path` and reads the container header; `formatName` forces a demuxer.
    ///
    /// Only local files are read, only the demuxers and decoders of `InputPolicy`; a file whose content
    /// FFmpeg takes for another container is refused with `InputPolicy.refusedDemuxer` before that
    /// demuxer reads anything.
    init(path: String, formatName: String? = nil, options: [String: String] = [:]) throws(FFmpegError) {
        FFmpegLibrary.configure()
        let deadline = StageDeadline.current
        if deadline?.stopsNow() == true { throw FFmpegError(code: InputContext.exitRequested, operation: "open (stage timeout)") }
        var interrupt = InputContext.interrupt(deadline)
        // The `file:` prefix keeps a name such as `concat:x.mp4` or `subfile:...` from choosing a protocol.
        let url = "file:" + path
        let format: UnsafePointer<AVInputFormat>
        if let formatName {
            guard let forced = av_find_input_format(formatName) else {
                throw FFmpegError(code: InputPolicy.refusedDemuxer, operation: formatName)
            }
            format = forced
        } else {
            format = try InputContext.probeFormat(url, interrupt: &interrupt)
        }
        let names = String(cString: format.pointee.name)
        guard InputPolicy.allowsDemuxer(names) else {
            let long = format.pointee.long_name.map { String(cString: $0) }
            throw FFmpegError(code: InputPolicy.refusedDemuxer, operation: long.map { "\($0) (\(names))" } ?? names)
        }
        guard var context = avformat_alloc_context() else {
            throw FFmpegError(code: ltx_averror_enomem(), operation: "avformat_alloc_context")
        }
        context.pointee.interrupt_callback = interrupt
        var opening: UnsafeMutablePointer<AVFormatContext>? = context
        var dictionary: OpaquePointer? = nil
        for (key, value) in InputPolicy.openOptions.merging(options, uniquingKeysWith: { $1 }) {
            av_dict_set(&dictionary, key, value, 0)
        }
        defer { av_dict_free(&dictionary) }
        // On failure avformat_open_input frees the context it was given.
        let status = avformat_open_input(&opening, url, format, &dictionary)
        guard status >= 0, let opened = opening else {
            throw FFmpegError(code: status < 0 ? status : ltx_averror_invaliddata(), operation: "avformat_open_input")
        }
        context = opened
        pointer = context
        self.path = path
        self.deadline = deadline
    }

    /// AVERROR_EXIT (FFERRTAG('E','X','I','T')): what FFmpeg returns when an interrupt callback stops it.
    static let exitRequested: Int32 = -Int32(bitPattern: UInt32(UInt8(ascii: "E")) | UInt32(UInt8(ascii: "X")) << 8 | UInt32(UInt8(ascii: "I")) << 16 | UInt32(UInt8(ascii: "T")) << 24)

    /// FFmpeg's interrupt callback for `deadline` (none without one): asked before each read of the file.
    private static func interrupt(_ deadline: StageDeadline?) -> AVIOInterruptCB {
        guard let deadline else { return AVIOInterruptCB(callback: nil, opaque: nil) }
        return AVIOInterruptCB(callback: { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<StageDeadline>.fromOpaque(opaque).takeUnretainedValue().stopsNow() ? 1 : 0
        }, opaque: Unmanaged.passUnretained(deadline).toOpaque())
    }

    /// The demuxer FFmpeg would choose for `url`, judged from its first bytes and name exactly as
    /// `avformat_open_input` judges them, without letting that demuxer read the file.
    private static func probeFormat(_ url: String, interrupt: inout AVIOInterruptCB) throws(FFmpegError) -> UnsafePointer<AVInputFormat> {
        var io: UnsafeMutablePointer<AVIOContext>? = nil
        var dictionary: OpaquePointer? = nil
        av_dict_set(&dictionary, "protocol_whitelist", "file", 0)
        defer { av_dict_free(&dictionary) }
        try ffCheck(avio_open2(&io, url, AVIO_FLAG_READ, &interrupt, &dictionary), "avio_open2")
        defer { avio_closep(&io) }
        var format: UnsafePointer<AVInputFormat>? = nil
        try ffCheck(av_probe_input_buffer2(io, &format, url, nil, 0, 0), "av_probe_input_buffer2")
        guard let format else { throw FFmpegError(code: ltx_averror_invaliddata(), operation: "av_probe_input_buffer2") }
        return format
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }

    /// Probes packets to fill in stream parameters the header left out (decodes when it must).
    /// The decoders it opens are held to `InputPolicy.maxPixels`, so a header claiming a huge picture
    /// cannot make stream probing allocate it.
    func findStreamInfo() throws(FFmpegError) {
        let count = streamCount
        var options = [OpaquePointer?](repeating: nil, count: max(count, 1))
        for i in 0..<count { av_dict_set(&options[i], "max_pixels", String(InputPolicy.maxPixels), 0) }
        defer { for i in 0..<count { av_dict_free(&options[i]) } }
        let status = options.withUnsafeMutableBufferPointer { avformat_find_stream_info(pointer, $0.baseAddress) }
        try ffCheck(status, "avformat_find_stream_info")
    }

    var streamCount: Int { Int(pointer.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[index]!
    }

    var formatName: String {
        pointer.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
    }

    /// True when the demuxer reads a single still picture (an image file, not a video container).
    var isStillImage: Bool { InputPolicy.stillImageDemuxers.contains(formatName) }

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

    /// The facts of stream `index`.
    func describe(_ index: Int) -> StreamDescription { StreamDescription(stream(index), index: index) }

    /// The facts of every stream, in container order.
    var streams: [StreamDescription] { (0..<streamCount).map(describe) }

    /// Index of the first real video stream (not a cover picture), or nil.
    var firstVideoStream: Int? { (0..<streamCount).first { describe($0).isVideo } }

    /// Index of the stream FFmpeg picks as the best audio, or nil.
    var bestAudioStream: Int? { bestStream(AVMEDIA_TYPE_AUDIO) }

    /// A decoder for stream `index` (see `CodecContext.decoder(for:...)`).
    func decoder(forStream index: Int, threads: Int = 1, strict: Bool = false, maxPixels: Int? = nil, fast: Bool = false) throws(FFmpegError) -> CodecContext {
        guard index >= 0, index < streamCount else { throw FFmpegError(code: ltx_averror_invaliddata(), operation: "no stream \(index)") }
        return try CodecContext.decoder(for: stream(index).pointee.codecpar, threads: threads, strict: strict, maxPixels: maxPixels, fast: fast)
    }

    /// How many packets the container's index lists, and the byte where the last of them ends.
    var indexExtent: (entries: Int, end: Int64) {
        var end: Int64 = 0
        var entries = 0
        for i in 0..<streamCount {
            let s = stream(i)
            let count = avformat_index_get_entries_count(s)
            entries += Int(count)
            for e in 0..<count {
                guard let entry = avformat_index_get_entry(s, e) else { continue }
                end = max(end, CheckedArithmetic.sum(entry.pointee.pos, Int64(entry.pointee.size)) ?? .max)
            }
        }
        return (entries, end)
    }

    /// Timestamps (in the stream's time base) of the keyframes the container's index lists for stream
    /// `index`, ascending; empty when there is no index.
    func keyframeTimestamps(stream index: Int) -> [Int64] {
        guard index >= 0, index < streamCount else { return [] }
        let s = stream(index)
        let count = avformat_index_get_entries_count(s)
        var stamps: [Int64] = []
        for e in 0..<count {
            guard let entry = avformat_index_get_entry(s, e), entry.pointee.flags & AVINDEX_KEYFRAME != 0 else { continue }
            stamps.append(entry.pointee.timestamp)
        }
        return Array(Set(stamps)).sorted()
    }

    /// Seeks stream `index` to the keyframe at or before `timestamp` (in the stream's time base).
    func seek(stream index: Int, toKeyframeBefore timestamp: Int64) -> Bool {
        av_seek_frame(pointer, Int32(clamping: index), timestamp, AVSEEK_FLAG_BACKWARD) >= 0
    }

    /// Index of the best stream of `type`, or nil.
    func bestStream(_ type: AVMediaType) -> Int? {
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return index >= 0 ? Int(index) : nil
    }

    /// Reads the next packet; false at end of file.
    func read(into packet: Packet) throws(FFmpegError) -> Bool {
        if let deadline, deadline.stopsNow() { throw FFmpegError(code: Self.exitRequested, operation: "av_read_frame (stage timeout)") }
        let status = av_read_frame(pointer, packet.pointer)
        if status == ltx_averror_eof() { return false }
        try ffCheck(status, "av_read_frame")
        return true
    }

    /// Tells the demuxer to discard every stream but `keep` (which are read again if an earlier call discarded them).
    func discardAll(except keep: Set<Int>) {
        for i in 0..<streamCount {
            stream(i).pointee.discard = keep.contains(i) ? AVDISCARD_DEFAULT : AVDISCARD_ALL
        }
    }
}
