/// One chosen frame of a video, decoded exactly (tests read what a generated video shows with it).
enum ExactFrame {
    /// Decodes until frame index `target` and returns it, or the last frame decoded before the stream ended
    /// (or broke). With `seek`, starts from the keyframe before the target and reads frame indices from
    /// timestamps; returns nil when nothing decodes from there (or timestamps are missing) so the caller
    /// can fall back to decoding from the start.
    static func decode(_ input: InputContext, videoIndex: Int, target: Int, seek: Bool) throws(FFmpegError) -> Frame? {
        let stream = input.describe(videoIndex)
        input.discardAll(except: [videoIndex])
        let rate = stream.frameRate
        let startTime = stream.startTime ?? 0
        // Frame index from a presentation timestamp, when the stream has a rate and a time base.
        func index(of pts: Int64?) -> Int? {
            guard let rate, let pts, let timeBase = stream.timeBase,
                  let elapsed = CheckedArithmetic.difference(pts, startTime) else { return nil }
            let seconds = Double(elapsed) * timeBase.value
            return CheckedArithmetic.integer((seconds * rate.value).rounded())
        }

        var seeked = false
        if seek, let rate, let timeBase = stream.timeBase {
            let offset = Timestamps.rescale(Int64(target), from: Rational(rate.denominator, rate.numerator), to: timeBase)
            if let position = CheckedArithmetic.sum(startTime, offset) {
                seeked = input.seek(stream: videoIndex, toKeyframeBefore: position)
            }
        }
        if seek && !seeked { return nil }

        let decoder = try input.decoder(forStream: videoIndex, threads: 0, strict: false, maxPixels: ContactSheet.maxPixels, fast: true)
        let packet = try Packet()
        var best = try Frame()
        var scratch = try Frame()
        var haveFrame = false
        var decoded = 0

        /// Takes every frame the decoder has ready; true once the target is reached (or cannot be judged).
        func drain() -> (done: Bool, abandon: Bool) {
            while true {
                let got: Bool
                do { got = try decoder.receive(into: scratch) } catch { return (true, false) }
                guard got else { return (false, false) }
                let position: Int
                if seeked {
                    guard let fromTimestamp = index(of: scratch.bestEffortTimestamp) else { return (true, true) }
                    position = fromTimestamp
                } else {
                    position = index(of: scratch.bestEffortTimestamp) ?? decoded
                }
                decoded += 1
                best.unref()
                swap(&best, &scratch)
                haveFrame = true
                if position >= target { return (true, false) }
            }
        }

        reading: while true {
            let more: Bool
            do { more = try input.read(into: packet) } catch { more = false }
            if more && packet.streamIndex != videoIndex {
                packet.unref()
                continue
            }
            var sent = false
            while !sent {
                do { sent = try decoder.send(more ? packet : nil) } catch {
                    // A broken packet: keep what decoded so far and stop.
                    packet.unref()
                    break reading
                }
                let state = drain()
                if state.abandon { return nil }
                if state.done { packet.unref(); break reading }
            }
            packet.unref()
            if !more { break }
        }
        return haveFrame ? best : nil
    }
}
