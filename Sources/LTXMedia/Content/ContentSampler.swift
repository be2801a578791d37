/// Sampled mode: decodes a few short runs of frames starting at keyframes (the first frame, keyframes
/// spread evenly over the video, the last keyframe) into a `ContentAnalyzer`, and of the audio only what a
/// check needs: nothing, a few short windows for the sound level, or the whole track for a soundtrack. The
/// audio is decoded on a second thread (`AudioSampling`) at the same time as the video.
///
/// A keyframe costs several times what the frames after it cost, so a run decodes its keyframe and the next
/// frame that is not a B-frame, then drains the decoder instead of feeding it more packets to get past its
/// reordering delay; the loop filter is skipped (the thumbnails are 80 pixels wide, and a decoder without it
/// is as deterministic, so an exact repeat stays an exact repeat).
enum ContentSampler {
    /// Runs decoded, first one included.
    static let runs = 5
    /// Frames decoded per run: a keyframe and the next reference frame, so each run gives one pair.
    static let framesPerRun = 2
    /// When a run's last pair barely differs (mean thumbnail difference at most `stillDifference` luma
    /// levels) or its last frame is dark or flat (`darkLuma`, `flatSpread`), the run is decoded again from its
    /// keyframe and goes on, up to this many more frames, until a pair repeats exactly or differs clearly and
    /// the picture shows: encoders refine a frozen picture for several frames after a keyframe before
    /// repeating it, and a video may fade in from black.
    static let stillExtension = 48
    static let stillDifference = 0.2
    static let darkLuma = 20.0, flatSpread = 5.0
    /// The sound check without a soundtrack to compare reads this many windows of the audio track, spread
    /// evenly, each this long; when they measure below the check's floor the whole track is decoded instead.
    static let audioWindows = 5
    static let audioWindowSeconds = 0.4

    /// What of the audio track the checks need.
    enum AudioNeed: Equatable {
        /// No check reads the audio.
        case none
        /// The sound check: the level, which a few windows show unless they are quieter than `floor` dBFS.
        case level(floor: Double)
        /// A soundtrack comparison: the loudness envelope of the whole track.
        case envelope
    }

    /// True when the run so far ends undecided: a near-repeat, or a dark or flat frame.
    static func undecided(_ analyzer: ContentAnalyzer) -> Bool {
        if let pair = analyzer.lastPair, !pair.identical, pair.difference <= stillDifference { return true }
        if let level = analyzer.lastLevel, level.mean <= darkLuma || level.spread <= flatSpread {
            return analyzer.lastPair?.identical != true
        }
        return false
    }

    /// Feeds the samples of `path` to `analyzer`, reading through `opened` when it is an input of that
    /// file from which no packet has been read yet (else the file is opened here). With `throughLastFrame`
    /// the last run goes on to the final frame (for the `last_frame` comparison).
    static func sample(path: String, opened: InputContext?, videoIndex: Int, audioIndex: Int?, audio: AudioNeed,
                       frameCount: Int, throughLastFrame: Bool, into analyzer: ContentAnalyzer) throws(MediaError) {
        let input: InputContext
        if let opened { input = opened } else { input = try MediaProbe.openMedia(path) }
        guard videoIndex < input.streamCount else { return }
        // The audio is measured on a second thread, with a second demuxer, while this one decodes the video runs.
        var audioSampling: AudioSampling? = nil
        if let audioIndex, audioIndex < input.streamCount, audio != .none {
            audioSampling = try AudioSampling.start(path: path, audioIndex: audioIndex, need: audio, thumbnail: analyzer.thumbnailSize)
        }
        input.discardAll(except: [videoIndex])
        let stream = input.describe(videoIndex)
        do {
            let decoder = try input.decoder(forStream: videoIndex, threads: 1, strict: false)
            decoder.skipLoopFilter()
            let packet = try Packet(), frame = try Frame()
            var seen: Set<Int64> = []
            let keyframes = input.keyframeTimestamps(stream: videoIndex)

            /// Reads the next packet of the video stream; false at the end (or a read error: the samples end there).
            func read() -> Bool {
                while true {
                    do { guard try input.read(into: packet) else { return false } } catch { return false }
                    if packet.streamIndex == videoIndex { return true }
                    packet.unref()
                }
            }

            /// Hands `frame` to the analyser unless an earlier run took it; true when the run is over: dropped
            /// (a limited run that starts at a frame an earlier run took), or counted and decided.
            func take(_ frame: Frame, state: inout RunState) -> Bool {
                let pts = frame.bestEffortTimestamp
                if let skipUpTo = state.skipUpTo, let pts, pts <= skipUpTo { return false }
                if let pts, seen.contains(pts) {
                    if state.taken == 0 && !state.toEnd { state.dropped = true; return true }
                    analyzer.breakRun()
                    return false
                }
                if let pts { seen.insert(pts); state.lastTimestamp = pts }
                analyzer.addVideo(frame)
                state.taken += 1
                guard let limit = state.limit else { return false }
                return state.taken >= framesPerRun && (!undecided(analyzer) || state.taken >= limit)
            }

            /// Sends `packet` (nil drains) and takes the frames that come out; true when the run is over.
            func send(_ packet: Packet?, state: inout RunState) -> Bool {
                var sent = false
                while !sent {
                    do { sent = try decoder.send(packet) } catch { return true }
                    while true {
                        let got: Bool
                        do { got = try decoder.receive(into: frame) } catch { return true }
                        guard got else { break }
                        defer { frame.unref() }
                        if take(frame, state: &state) { return true }
                    }
                }
                return false
            }

            /// Decodes from where the input stands until `take` says the run is over, or to the end.
            func decodeCounted(state: inout RunState) {
                while read() {
                    let stop = send(packet, state: &state)
                    packet.unref()
                    if stop { return }
                }
                _ = send(nil, state: &state)
            }

            /// Decodes one run from the keyframe at or before `start` (nil: from where the input stands, the
            /// file's first packet). With `toEnd` every frame to the end of the file is taken.
            func run(from start: Int64?, toEnd: Bool) {
                if let start, !input.seek(stream: videoIndex, toKeyframeBefore: start) { return }
                decoder.flush()
                decoder.skipBidirectionalFrames(!toEnd)
                analyzer.breakRun()
                var state = RunState(toEnd: toEnd)
                if toEnd { decodeCounted(state: &state); return }
                // The pair: send the keyframe and the next packet that is not a B-frame (its timestamp is later
                // than every one sent before it), then drain.
                var decodable = 0
                var latest = Int64.min
                var reachedEnd = false
                while decodable < framesPerRun {
                    guard read() else { reachedEnd = true; break }
                    if let pts = packet.presentationTimestamp {
                        if pts > latest { latest = pts; decodable += 1 }
                    } else {
                        decodable += 1
                    }
                    let stop = send(packet, state: &state)
                    packet.unref()
                    if stop { break }
                }
                _ = send(nil, state: &state)
                guard !state.dropped, state.taken > 0 else { return }
                let short = state.taken < framesPerRun && !reachedEnd
                guard short || undecided(analyzer) else { return }
                // Undecided (or the decoder held a frame back): decode the run again from its keyframe, past the
                // frames already taken, until it decides.
                guard let keyframe = start ?? keyframes.first ?? stream.startTime,
                      input.seek(stream: videoIndex, toKeyframeBefore: keyframe) else { return }
                decoder.flush()
                state.limit = framesPerRun + stillExtension
                state.skipUpTo = state.lastTimestamp
                decodeCounted(state: &state)
            }

            run(from: nil, toEnd: false)
            for target in targets(input: input, keyframes: keyframes, stream: stream, frameCount: frameCount, throughLastFrame: throughLastFrame) {
                run(from: target.timestamp, toEnd: target.isLast && throughLastFrame)
            }
        } catch {
            try? audioSampling?.finish(into: nil)
            throw MediaError(.damaged, path: path, reason: "cannot sample frames (\(error.message))")
        }
        try audioSampling?.finish(into: analyzer)
    }

    /// Decodes of the audio stream `audioIndex` what `need` asks into `analyzer`.
    static func measureAudio(path: String, input: InputContext, audioIndex: Int, need: AudioNeed, into analyzer: ContentAnalyzer) throws(MediaError) {
        switch need {
        case .none:
            break
        case .envelope:
            try decodeWholeAudio(path: path, input: input, audioIndex: audioIndex, into: analyzer)
        case .level(let floor):
            let windows = try decodeAudioWindows(path: path, input: input, audioIndex: audioIndex, into: analyzer)
            analyzer.audioWindowed = windows
            if !windows || (analyzer.finishAudio()?.rmsDBFS ?? -.infinity) < floor {
                // Quiet where it was sampled: the whole track decides.
                analyzer.restartAudio()
                try decodeWholeAudio(path: path, input: input, audioIndex: audioIndex, into: analyzer)
            }
        }
    }

    /// Where a run stands: frames taken, the last one's timestamp, and when it ends.
    struct RunState {
        var toEnd: Bool
        var taken = 0
        var lastTimestamp: Int64?
        var dropped = false
        var limit: Int?
        var skipUpTo: Int64?
    }

    /// Where the runs after the first start: keyframes from the index spread evenly (the last keyframe
    /// included), or, without an index, evenly spaced frame times. A keyframe on the very last frame is left out
    /// unless the last frame is compared (`throughLastFrame`): it has no next frame to pair with, and costs a
    /// keyframe's decode for one level.
    static func targets(input: InputContext, keyframes: [Int64], stream: StreamDescription, frameCount: Int,
                        throughLastFrame: Bool = false) -> [(timestamp: Int64, isLast: Bool)] {
        let wanted = runs - 1
        if keyframes.count > 1 {
            var later = Array(keyframes.dropFirst())
            if !throughLastFrame, let last = later.last, isFinalFrame(last, stream: stream, frameCount: frameCount) { later.removeLast() }
            guard !later.isEmpty else { return [] }
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

    /// True when `timestamp` (in the stream's time base) is the time of the stream's last frame.
    static func isFinalFrame(_ timestamp: Int64, stream: StreamDescription, frameCount: Int) -> Bool {
        let start = stream.startTime ?? 0
        guard let rate = stream.frameRate, rate.numerator > 0, let timeBase = stream.timeBase, frameCount > 1, start != .min,
              let offset = CheckedArithmetic.sum(timestamp, -start) else { return false }
        let index = Timestamps.rescale(offset, from: timeBase, to: Rational(rate.denominator, rate.numerator))
        return index >= Int64(frameCount - 1)
    }

    /// Decodes `audioWindows` short windows spread over the audio track into the analyser; false when the
    /// track cannot be sought that way (no index or no length), so the whole track must be decoded.
    static func decodeAudioWindows(path: String, input: InputContext, audioIndex: Int, into analyzer: ContentAnalyzer) throws(MediaError) -> Bool {
        let stream = input.describe(audioIndex)
        let packetTimes = input.keyframeTimestamps(stream: audioIndex)
        guard let timeBase = stream.timeBase, let first = packetTimes.first, let last = packetTimes.last, last > first else { return false }
        input.discardAll(except: [audioIndex])
        do {
            let decoder = try input.decoder(forStream: audioIndex)
            let packet = try Packet(), frame = try Frame()
            let span = Double(last - first)
            let windowTicks = Double(audioWindowSeconds) / timeBase.value
            for i in 0..<audioWindows {
                let at = first + Int64((span * (Double(i) + 0.5) / Double(audioWindows) - windowTicks / 2).clamped(to: 0...span))
                guard input.seek(stream: audioIndex, toKeyframeBefore: at) else { return false }
                decoder.flush()
                var seconds = 0.0
                reading: while seconds < audioWindowSeconds {
                    let more: Bool
                    do { more = try input.read(into: packet) } catch { more = false }
                    if more && packet.streamIndex != audioIndex { packet.unref(); continue }
                    var sent = false
                    while !sent {
                        do { sent = try decoder.send(more ? packet : nil) } catch { sent = true }
                        while (try? decoder.receive(into: frame)) == true {
                            analyzer.addAudio(frame)
                            let rate = frame.pointer.pointee.sample_rate
                            if rate > 0 { seconds += Double(frame.sampleCount) / Double(rate) }
                            frame.unref()
                        }
                    }
                    packet.unref()
                    if !more { break reading }
                }
            }
            return true
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot decode the audio track (\(error.message))")
        }
    }

    /// Decodes the whole audio track from its start (the demuxer skips the video's bytes).
    static func decodeWholeAudio(path: String, input opened: InputContext, audioIndex: Int, into analyzer: ContentAnalyzer) throws(MediaError) {
        var input = opened
        let firstPacket = input.keyframeTimestamps(stream: audioIndex).first
        if firstPacket.map({ !input.seek(stream: audioIndex, toKeyframeBefore: $0) }) ?? true {
            input = try MediaProbe.openMedia(path)
            guard audioIndex < input.streamCount else { return }
        }
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

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
