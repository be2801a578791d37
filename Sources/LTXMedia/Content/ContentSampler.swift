/// Sampled mode: decodes a few short runs of frames starting at keyframes (the first frame, keyframes
/// spread evenly over the video, the last keyframe), plus the whole audio track, into a `ContentAnalyzer`.
enum ContentSampler {
    /// Runs decoded, first one included.
    static let runs = 5
    /// Frames decoded per run: a keyframe and the frame after it, so each run gives one consecutive pair.
    static let framesPerRun = 2
    /// When a run's last pair barely differs (mean thumbnail difference at most `stillDifference` luma
    /// levels) or its last frame is dark or flat (`darkLuma`, `flatSpread`), the run goes on, up to this many
    /// more frames, until a pair repeats exactly or differs clearly and the picture shows: encoders refine a
    /// frozen picture for several frames after a keyframe before repeating it, and a video may fade in from black.
    static let stillExtension = 48
    static let stillDifference = 0.2
    static let darkLuma = 20.0, flatSpread = 5.0

    /// True when the run so far ends undecided: a near-repeat, or a dark or flat frame.
    static func undecided(_ analyzer: ContentAnalyzer) -> Bool {
        if let pair = analyzer.lastPair, !pair.identical, pair.difference <= stillDifference { return true }
        if let level = analyzer.lastLevel, level.mean <= darkLuma || level.spread <= flatSpread {
            return analyzer.lastPair?.identical != true
        }
        return false
    }

    /// Feeds the samples of `path` to `analyzer`. With `throughLastFrame` the last run goes on to the
    /// final frame (for the `last_frame` comparison).
    static func sample(path: String, videoIndex: Int, audioIndex: Int?, frameCount: Int, throughLastFrame: Bool,
                       into analyzer: ContentAnalyzer) throws(MediaError) {
        let input = try MediaProbe.openMedia(path)
        guard videoIndex < input.streamCount else { return }
        input.discardAll(except: [videoIndex])
        let stream = input.describe(videoIndex)
        do {
            let decoder = try input.decoder(forStream: videoIndex, threads: 1, strict: false)
            let packet = try Packet(), frame = try Frame()
            var seen: Set<Int64> = []

            /// Decodes up to `limit` frames (nil: to the end) from where the input stands. A run that starts
            /// at a frame an earlier run took is dropped, unless it goes to the end (then only new frames count).
            func run(limit: Int?) throws(FFmpegError) {
                var taken = 0
                var started = false
                var budget = limit ?? .max
                var extended = false
                func drain() -> Bool {
                    while true {
                        if taken >= budget {
                            guard undecided(analyzer) else { return true }
                            if !extended { extended = true; budget += stillExtension } else if taken >= budget { return true }
                        }
                        let got: Bool
                        do { got = try decoder.receive(into: frame) } catch { return true }
                        guard got else { return false }
                        defer { frame.unref() }
                        let pts = frame.bestEffortTimestamp
                        if let pts, seen.contains(pts) {
                            if !started && limit != nil { return true }
                            analyzer.breakRun()
                            continue
                        }
                        started = true
                        if let pts { seen.insert(pts) }
                        analyzer.addVideo(frame)
                        taken += 1
                    }
                }
                while true {
                    let more: Bool
                    do { more = try input.read(into: packet) } catch { more = false }
                    if more && packet.streamIndex != videoIndex { packet.unref(); continue }
                    var sent = false
                    while !sent {
                        do { sent = try decoder.send(more ? packet : nil) } catch { packet.unref(); return }
                        if drain() { packet.unref(); return }
                    }
                    packet.unref()
                    if !more { _ = drain(); return }
                }
            }

            try run(limit: framesPerRun)
            for target in targets(input: input, videoIndex: videoIndex, stream: stream, frameCount: frameCount) {
                guard input.seek(stream: videoIndex, toKeyframeBefore: target.timestamp) else { continue }
                decoder.flush()
                analyzer.breakRun()
                try run(limit: target.isLast && throughLastFrame ? nil : framesPerRun)
            }
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot sample frames (\(error.message))")
        }
        if let audioIndex { try decodeAudio(path: path, audioIndex: audioIndex, into: analyzer) }
    }

    /// Where the runs after the first start: keyframes from the index spread evenly (the last keyframe
    /// included), or, without an index, evenly spaced frame times.
    static func targets(input: InputContext, videoIndex: Int, stream: StreamDescription, frameCount: Int) -> [(timestamp: Int64, isLast: Bool)] {
        let keyframes = input.keyframeTimestamps(stream: videoIndex)
        let wanted = runs - 1
        if keyframes.count > 1 {
            let later = Array(keyframes.dropFirst())
            var picked: [Int64] = []
            for i in 1...wanted {
                let at = later[(i * (later.count - 1)) / wanted]
                if picked.last != at { picked.append(at) }
            }
            return picked.enumerated().map { ($0.element, $0.offset == picked.count - 1) }
        }
        guard let rate = stream.frameRate, rate.numerator > 0, let timeBase = stream.timeBase, frameCount > 1 else { return [] }
        let start = stream.startTime ?? 0
        return (1...wanted).compactMap { i -> (Int64, Bool)? in
            let index = Int64((frameCount - 1) * i / wanted)
            let offset = Timestamps.rescale(index, from: Rational(rate.denominator, rate.numerator), to: timeBase)
            return CheckedArithmetic.sum(start, offset).map { ($0, i == wanted) }
        }
    }

    /// Decodes the whole audio track on its own pass (the demuxer skips the video's bytes).
    static func decodeAudio(path: String, audioIndex: Int, into analyzer: ContentAnalyzer) throws(MediaError) {
        let input = try MediaProbe.openMedia(path)
        guard audioIndex < input.streamCount else { return }
        input.discardAll(except: [audioIndex])
        do {
            let decoder = try input.decoder(forStream: audioIndex)
            let packet = try Packet(), frame = try Frame()
            func drain() {
                while (try? decoder.receive(into: frame)) == true { analyzer.addAudio(frame); frame.unref() }
            }
            while true {
                let more: Bool
                do { more = try input.read(into: packet) } catch { more = false }
                if more && packet.streamIndex != audioIndex { packet.unref(); continue }
                var sent = false
                while !sent {
                    do { sent = try decoder.send(more ? packet : nil) } catch { sent = true }
                    drain()
                }
                packet.unref()
                if !more { break }
            }
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot decode the audio track (\(error.message))")
        }
    }
}
