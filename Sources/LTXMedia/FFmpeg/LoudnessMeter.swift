import CFFmpeg

/// Turns decoded audio frames into a loudness envelope: mixed to mono, resampled to 16 kHz, mean square
/// per 50 ms window. Owns its resampler (one Swift owner per `SwrContext`).
final class LoudnessMeter {
    static let rate = 16_000
    static let windowSamples = 800
    private var resampler: Resampler?
    private var sourceShape: (rate: Int32, format: Int32, channels: Int32)?
    private var output: Frame?
    private var capacity = 0
    private var windows: [Float] = []
    private var windowSum: Double = 0
    private var windowFill = 0
    private var totalSquares: Double = 0
    private var totalSamples = 0

    init() {}

    /// Adds one decoded audio frame.
    func add(_ frame: Frame) throws(FFmpegError) {
        let f = frame.pointer.pointee
        let shape = (f.sample_rate, f.format, f.ch_layout.nb_channels)
        if resampler == nil || sourceShape.map({ $0.rate != shape.0 || $0.format != shape.1 || $0.channels != shape.2 }) ?? true {
            try drain()
            var mono = AVChannelLayout()
            ltx_channel_layout_mono(&mono)
            resampler = try Resampler(from: f.ch_layout, AVSampleFormat(rawValue: f.format), Int(f.sample_rate), to: mono, AV_SAMPLE_FMT_FLT, Self.rate)
            sourceShape = shape
        }
        try convert(frame)
    }

    /// Converts what the resampler still holds; call once after the last frame.
    func finish() throws(FFmpegError) -> LoudnessEnvelope {
        try drain()
        if windowFill > 0 { windows.append(Float(windowSum / Double(windowFill))) }
        windowSum = 0
        windowFill = 0
        return LoudnessEnvelope(windowSeconds: Double(Self.windowSamples) / Double(Self.rate), meanSquares: windows,
                                seconds: Double(totalSamples) / Double(Self.rate),
                                meanSquare: totalSamples > 0 ? totalSquares / Double(totalSamples) : 0)
    }

    private func drain() throws(FFmpegError) {
        guard resampler != nil else { return }
        try convert(nil)
    }

    private func convert(_ frame: Frame?) throws(FFmpegError) {
        guard let resampler else { return }
        let needed = max(resampler.outputCapacity(forInput: frame?.sampleCount ?? 0), 1)
        if output == nil || needed > capacity {
            var mono = AVChannelLayout()
            ltx_channel_layout_mono(&mono)
            output = try Frame(samples: needed, format: AV_SAMPLE_FMT_FLT, layout: mono, sampleRate: Self.rate)
            capacity = needed
        }
        guard let output else { return }
        try output.makeWritable()
        let count = try resampler.convert(frame, into: output, capacity: capacity)
        guard count > 0, let (base, _) = output.plane(0) else { return }
        base.withMemoryRebound(to: Float.self, capacity: count) { samples in
            for i in 0..<count {
                let value = Double(samples[i])
                let square = value.isFinite ? value * value : 0
                windowSum += square
                totalSquares += square
                windowFill += 1
                if windowFill == Self.windowSamples {
                    windows.append(Float(windowSum / Double(windowFill)))
                    windowSum = 0
                    windowFill = 0
                }
            }
        }
        totalSamples += count
    }
}
