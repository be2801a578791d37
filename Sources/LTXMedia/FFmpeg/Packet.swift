import CFFmpeg

/// Sole owner of one `AVPacket`.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws(FFmpegError) {
        guard let p = av_packet_alloc() else { throw FFmpegError(code: ltx_averror_enomem(), operation: "av_packet_alloc") }
        pointer = p
    }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&p)
    }

    /// Drops the packet's payload so it can be filled again.
    func unref() { av_packet_unref(pointer) }

    var streamIndex: Int { Int(pointer.pointee.stream_index) }
    var size: Int { Int(pointer.pointee.size) }
    var isKeyframe: Bool { (pointer.pointee.flags & AV_PKT_FLAG_KEY) != 0 }
    /// Presentation timestamp in the stream's time base, nil when the container gives none.
    var presentationTimestamp: Int64? {
        let value = pointer.pointee.pts
        return value == ltx_av_nopts_value() ? nil : value
    }

    /// The payload's bytes.
    var bytes: [UInt8] {
        guard let data = pointer.pointee.data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}
