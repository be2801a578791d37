
/// The still that stands for a video in the archive: its middle frame as a JPEG.
public enum PosterFrame {
    /// Decodes the middle frame of the video at `path` (frame N/2 of the container's N frames, or the
    /// last frame that decodes when the file is shorter than its index says), scales it to at most
    /// `maxWidth` pixels wide keeping the display aspect ratio (even dimensions, never enlarged),
    /// and returns it encoded as a baseline JPEG.
    ///
    /// Throws `MediaError` when the file is missing, is not a video, or no frame of it decodes.
    public static func jpeg(fromVideo path: String, maxWidth: Int = 1280) throws(MediaError) -> [UInt8] {
        guard maxWidth >= 2 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "poster width must be at least 2 pixels, got \(maxWidth)")
        }
        _ = try InputFile.check(path)
        let input = try MediaProbe.openVideo(path)
        let videoIndex: Int
        do { videoIndex = try VideoVerifier.videoStream(of: input, path: path) } catch {
            if error.kind == .noVideo {
                throw MediaError(.noVideo, path: path, reason: "has no video stream to take a poster frame from (container \(input.formatName))")
            }
            throw error
        }
        let video = input.describe(videoIndex)
        guard video.width > 0, video.height > 0 else {
            throw MediaError(.notMedia, path: path, reason: "not a video FFmpeg can read (no picture size; container \(input.formatName))")
        }

        let frameCount = try ContactSheet.frameCount(of: input, videoIndex: videoIndex, path: path)
        let target = frameCount / 2
        do {
            var picture = try decodeFrame(input, videoIndex: videoIndex, target: target, seek: target > 0)
            if picture == nil && target > 0 {
                // The seek landed past what the file really holds (truncated, or a lying index): decode from the start.
                let fresh = try MediaProbe.openMedia(path)
                picture = try decodeFrame(fresh, videoIndex: videoIndex, target: target, seek: false)
            }
            guard let picture else {
                throw MediaError(.damaged, path: path, reason: "no video frame decodes, so there is no poster frame")
            }
            let (width, height) = ContactSheet.posterSize(of: picture, maxWidth: maxWidth)
            return try ImageCodec.encodeJPEG(picture, width: width, height: height, quality: 3)
        } catch let error as FFmpegError {
            if error.operation.contains("not available") {
                throw MediaError(.encoderMissing, path: path, reason: error.description)
            }
            throw MediaError(.damaged, path: path, reason: "cannot make a poster frame (\(error.description))")
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot make a poster frame (\(error))")
        }
    }

    /// Decodes until frame index `target` and returns it, or the last frame decoded before the stream ended
    /// (or broke). With `seek`, starts from the keyframe before the target and reads frame indices from
    /// timestamps; returns nil when nothing decodes from there (or timestamps are missing) so the caller
    /// can fall back to decoding from the start.
    static func decodeFrame(_ input: InputContext, videoIndex: Int, target: Int, seek: Bool) throws(FFmpegError) -> Frame? {
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
