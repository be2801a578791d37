/// Reads chosen frames of one video stream in ascending order, decoding each frame at most once: it seeks to the
/// keyframe before a wanted frame only when that keyframe lies past what was already decoded, else decodes on.
final class SequentialFrameReader {
    private let input: InputContext
    private let videoIndex: Int
    private let stream: StreamDescription
    private let decoder: CodecContext
    private let packet: Packet
    private var current: Frame
    private var scratch: Frame
    /// Frame number of `current`, nil before the first frame.
    private var currentIndex: Int?
    /// Keyframes from the container's index: timestamp and frame number.
    private let keyframes: [(timestamp: Int64, index: Int)]
    /// Where counting starts for frames without a timestamp (the keyframe sought, or 0), and how many came since.
    private var countBase = 0, countedSinceBase = 0
    private var drained = false

    init(input: InputContext, videoIndex: Int, maxPixels: Int) throws(FFmpegError) {
        self.input = input
        self.videoIndex = videoIndex
        stream = input.describe(videoIndex)
        input.discardAll(except: [videoIndex])
        decoder = try input.decoder(forStream: videoIndex, threads: 0, strict: false, maxPixels: maxPixels, fast: true)
        packet = try Packet()
        current = try Frame()
        scratch = try Frame()
        var keyframes: [(Int64, Int)] = []
        for timestamp in input.keyframeTimestamps(stream: videoIndex) {
            if let index = Self.index(of: timestamp, stream: stream) { keyframes.append((timestamp, index)) }
        }
        self.keyframes = keyframes
    }

    /// Frame number of presentation timestamp `pts`, when the stream has a rate and a time base.
    static func index(of pts: Int64?, stream: StreamDescription) -> Int? {
        guard let rate = stream.frameRate, let pts, let timeBase = stream.timeBase,
              let elapsed = CheckedArithmetic.difference(pts, stream.startTime ?? 0) else { return nil }
        return CheckedArithmetic.integer((Double(elapsed) * timeBase.value * rate.value).rounded())
    }

    /// Frame number `target` (the first decoded frame at or past it), or the last frame that decodes when the
    /// stream ends (or breaks) before it; nil when no frame decodes at all. The frame stays valid until the next call.
    func frame(at target: Int) throws(FFmpegError) -> (frame: Frame, index: Int)? {
        if let currentIndex, currentIndex >= target { return (current, currentIndex) }
        if let keyframe = keyframes.last(where: { $0.index <= target }), keyframe.index > (currentIndex ?? -1) + 1,
           input.seek(stream: videoIndex, toKeyframeBefore: keyframe.timestamp) {
            decoder.flush()
            drained = false
            countBase = keyframe.index
            countedSinceBase = 0
        }
        while try decodeNext() {
            if let currentIndex, currentIndex >= target { return (current, currentIndex) }
        }
        return currentIndex.map { (current, $0) }
    }

    /// Decodes the next frame into `current`; false at the end of the stream or at a packet that does not decode.
    private func decodeNext() throws(FFmpegError) -> Bool {
        while true {
            if (try? decoder.receive(into: scratch)) == true {
                let counted = countBase + countedSinceBase
                countedSinceBase += 1
                let index = Self.index(of: scratch.bestEffortTimestamp, stream: stream) ?? counted
                swap(&current, &scratch)
                scratch.unref()
                currentIndex = index
                return true
            }
            if drained { return false }
            let more: Bool
            do { more = try input.read(into: packet) } catch { more = false }
            if more && packet.streamIndex != videoIndex { packet.unref(); continue }
            defer { packet.unref() }
            do {
                if !more {
                    _ = try decoder.send(nil as Packet?)
                    drained = true
                } else if !(try decoder.send(packet)) {
                    // The decoder holds frames to hand out first; this packet is lost, so the stream ends here.
                    _ = try decoder.send(nil as Packet?)
                    drained = true
                }
            } catch {
                // A packet that does not decode: keep what decoded so far and end.
                _ = try? decoder.send(nil as Packet?)
                drained = true
            }
        }
    }
}
