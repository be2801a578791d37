import CFFmpeg

/// Sole owner of one `AVAudioFifo`: regroups samples into the encoder's fixed frame size.
final class AudioFIFO {
    private let fifo: OpaquePointer

    init(format: AVSampleFormat, channels: Int, capacity: Int) throws(FFmpegError) {
        guard let fifo = av_audio_fifo_alloc(format, Int32(clamping: channels), Int32(clamping: max(capacity, 1))) else {
            throw FFmpegError(code: ltx_averror_enomem(), operation: "av_audio_fifo_alloc")
        }
        self.fifo = fifo
    }

    deinit { av_audio_fifo_free(fifo) }

    var count: Int { Int(av_audio_fifo_size(fifo)) }

    /// Appends the first `samples` samples of `frame`.
    func write(_ frame: Frame, samples: Int) throws(FFmpegError) {
        let written = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
            av_audio_fifo_write(fifo, $0, Int32(clamping: samples))
        }
        try ffCheck(written, "av_audio_fifo_write")
    }

    /// Moves up to `samples` samples into `frame`'s buffer; returns how many.
    func read(into frame: Frame, samples: Int) throws(FFmpegError) -> Int {
        let read = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
            av_audio_fifo_read(fifo, $0, Int32(clamping: samples))
        }
        try ffCheck(read, "av_audio_fifo_read")
        return Int(read)
    }
}
