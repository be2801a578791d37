/// Sampled mode: decodes a few short runs of frames starting at keyframes (the first frame, keyframes
/// spread evenly over the video, the last keyframe) into a `ContentAnalyzer`, and of the audio only what a
/// check needs: nothing, a few short windows for the sound level, or the whole track for a soundtrack.
/// The work is spread over three threads (`SideThread`): the audio on one, the later half of the video runs on
/// another with a demuxer and decoder of its own, the first half on the calling thread. The result is the one
/// decoding every run in order on one thread gives: where the first half took a frame at or after the
/// earliest one the second half decoded, the second half is decoded again after the first, on the calling thread.
enum ContentSampler {
    /// Runs decoded, first one included: the first frame, the last keyframe and two keyframes evenly between.
    /// Each run costs a keyframe's decode (about 9 ms for 1080p H.264 on one core of the machine the
    /// benchmarks ran on), most of sampled mode's time.
    static let runs = 4
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

    /// How the video runs were decoded.
    enum RunThreads: Equatable {
        /// All on the calling thread.
        case one
        /// The later half on a second thread.
        case two
        /// The later half on a second thread, then again on the calling thread: the first half had taken frames
        /// where the second half began (a run followed past the next one's keyframe), or the second thread failed.
        case twoThenOne
    }

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
    /// the last run goes on to the final frame (for the `last_frame` comparison). With `parallel` false every
    /// video run is decoded on the calling thread (the same result, for comparison).
    static func sample(path: String, opened: InputContext?, videoIndex: Int, audioIndex: Int?, audio: AudioNeed,
                       frameCount: Int, throughLastFrame: Bool, parallel: Bool = true, into analyzer: ContentAnalyzer) throws(MediaError) -> RunThreads {
        let input: InputContext
        if let opened { input = opened } else { input = try MediaProbe.openMedia(path) }
        guard videoIndex < input.streamCount else { return .one }
        var audioSampling: AudioSampling? = nil
        if let audioIndex, audioIndex < input.streamCount, audio != .none {
            audioSampling = try AudioSampling.start(path: path, audioIndex: audioIndex, need: audio, thumbnail: analyzer.thumbnailSize)
        }
        input.discardAll(except: [videoIndex])
        let stream = input.describe(videoIndex)
        let keyframes = input.keyframeTimestamps(stream: videoIndex)
        let plan = [KeyframeRunDecoder.Run(start: nil, toEnd: false)]
            + targets(input: input, keyframes: keyframes, stream: stream, frameCount: frameCount, throughLastFrame: throughLastFrame)
                .map { KeyframeRunDecoder.Run(start: $0.timestamp, toEnd: $0.isLast && throughLastFrame) }
        let threads: RunThreads
        do {
            let runs = try KeyframeRunDecoder(input: input, videoIndex: videoIndex, keyframes: keyframes, analyzer: analyzer)
            // Runs start at keyframes of the index only when it lists several; a run to the end stays on one thread.
            let split = plan.count / 2
            if parallel, keyframes.count > 1, split > 0, !plan.contains(where: \.toEnd) {
                let later = Array(plan[split...])
                let side = laterRuns(path: path, videoIndex: videoIndex, runs: later, thumbnail: analyzer.thumbnailSize)
                runs.decode(plan[..<split])
                if let other = side.wait() ?? nil, analyzer.error == nil,
                   runs.seen.max().map({ taken in other.earliestDecoded.map { taken < $0 } ?? true }) ?? true {
                    analyzer.append(other.analyzer)
                    threads = .two
                } else {
                    runs.decode(later)
                    threads = .twoThenOne
                }
            } else {
                runs.decode(plan)
                threads = .one
            }
        } catch {
            try? audioSampling?.finish(into: nil)
            throw MediaError(.damaged, path: path, reason: "cannot sample frames (\(error.message))")
        }
        try audioSampling?.finish(into: analyzer)
        return threads
    }

    /// What the second video thread decoded: its analyser, and the earliest timestamp its decoder gave.
    struct LaterRuns {
        let analyzer: ContentAnalyzer
        let earliestDecoded: Int64?
    }

    /// Decodes `runs` on a `SideThread` with a demuxer, decoder and analyser of its own; nil when anything
    /// failed there (the calling thread decodes them again and meets the failure itself).
    static func laterRuns(path: String, videoIndex: Int, runs: [KeyframeRunDecoder.Run], thumbnail: (width: Int, height: Int)) -> SideThread<LaterRuns?> {
        SideThread<LaterRuns?>.start(name: "ltxpipe-frame-sampling") {
            guard let input = try? MediaProbe.openMedia(path), videoIndex < input.streamCount,
                  let analyzer = try? ContentAnalyzer(thumbnail: thumbnail) else { return nil }
            input.discardAll(except: [videoIndex])
            guard let decoder = try? KeyframeRunDecoder(input: input, videoIndex: videoIndex,
                                                        keyframes: input.keyframeTimestamps(stream: videoIndex), analyzer: analyzer) else { return nil }
            decoder.decode(runs)
            analyzer.breakRun()
            guard analyzer.error == nil else { return nil }
            return LaterRuns(analyzer: analyzer, earliestDecoded: decoder.earliestDecoded)
        }
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
                decodeAudio(input: input, audioIndex: audioIndex, decoder: decoder, packet: packet, frame: frame,
                            seconds: audioWindowSeconds, into: analyzer)
            }
            return true
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot decode the audio track (\(error.message))")
        }
    }

    /// Reads packets of stream `audioIndex` from where `input` stands and feeds the decoded audio to `analyzer`
    /// until `seconds` of it were taken (nil: to the end of the file; a read error ends it as the end would).
    private static func decodeAudio(input: InputContext, audioIndex: Int, decoder: CodecContext, packet: Packet, frame: Frame,
                                    seconds limit: Double?, into analyzer: ContentAnalyzer) {
        var seconds = 0.0
        while limit.map({ seconds < $0 }) ?? true {
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
            if !more { return }
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
            decodeAudio(input: input, audioIndex: audioIndex, decoder: decoder, packet: packet, frame: frame, seconds: nil, into: analyzer)
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot decode the audio track (\(error.message))")
        }
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
