/// Decodes sampled mode's runs of frames, each from a keyframe, on one demuxer and one decoder, into one
/// analyser. Runs decoded by the same decoder never take a frame twice: a run that starts at a frame an earlier
/// one took is dropped, and a run reaching frames taken before passes over them.
///
/// A keyframe costs several times what the frames after it cost, so a run decodes its keyframe and the next
/// frame that is not a B-frame, then drains the decoder instead of feeding it more packets to get past its
/// reordering delay; the loop filter is skipped (the thumbnails are 80 pixels wide, and a decoder without it
/// is as deterministic, so an exact repeat stays an exact repeat).
final class KeyframeRunDecoder {
    /// Where a run starts (nil: where the input stands, its first packet) and whether it goes to the end of the file.
    struct Run: Equatable {
        var start: Int64?
        var toEnd: Bool
    }

    /// Where a run stands: frames taken, the last one's timestamp, and when it ends.
    private struct RunState {
        var toEnd: Bool
        var taken = 0
        var lastTimestamp: Int64?
        var dropped = false
        var limit: Int?
        var skipUpTo: Int64?
    }

    private let input: InputContext
    private let videoIndex: Int
    private let analyzer: ContentAnalyzer
    private let decoder: CodecContext
    private let packet: Packet
    private let frame: Frame
    private let keyframes: [Int64]
    private let startTime: Int64?
    /// Timestamps of the frames taken so far.
    private(set) var seen: Set<Int64> = []
    /// The earliest timestamp of any frame the decoder gave, taken or not.
    private(set) var earliestDecoded: Int64?

    /// A decoder of stream `videoIndex` of `input` feeding `analyzer`; `keyframes` are the stream's keyframe
    /// timestamps from the index (empty without one).
    init(input: InputContext, videoIndex: Int, keyframes: [Int64], analyzer: ContentAnalyzer) throws(FFmpegError) {
        self.input = input
        self.videoIndex = videoIndex
        self.keyframes = keyframes
        self.analyzer = analyzer
        startTime = input.describe(videoIndex).startTime
        decoder = try input.decoder(forStream: videoIndex, threads: 1, strict: false)
        decoder.skipLoopFilter()
        packet = try Packet()
        frame = try Frame()
    }

    /// Decodes `runs` in order.
    func decode(_ runs: some Sequence<Run>) {
        for run in runs { decode(run) }
    }

    /// Reads the next packet of the video stream; false at the end (or a read error: the samples end there).
    private func read() -> Bool {
        while true {
            do { guard try input.read(into: packet) else { return false } } catch { return false }
            if packet.streamIndex == videoIndex { return true }
            packet.unref()
        }
    }

    /// Hands `frame` to the analyser unless an earlier run took it; true when the run is over: dropped
    /// (a limited run that starts at a frame an earlier run took), or counted and decided.
    private func take(_ frame: Frame, state: inout RunState) -> Bool {
        let pts = frame.bestEffortTimestamp
        if let pts { earliestDecoded = min(earliestDecoded ?? pts, pts) }
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
        return state.taken >= ContentSampler.framesPerRun && (!ContentSampler.undecided(analyzer) || state.taken >= limit)
    }

    /// Sends `packet` (nil drains) and takes the frames that come out; true when the run is over.
    private func send(_ packet: Packet?, state: inout RunState) -> Bool {
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
    private func decodeCounted(state: inout RunState) {
        while read() {
            let stop = send(packet, state: &state)
            packet.unref()
            if stop { return }
        }
        _ = send(nil, state: &state)
    }

    /// Decodes one run from the keyframe at or before `run.start`. With `toEnd` every frame to the end of the
    /// file is taken.
    private func decode(_ run: Run) {
        if let start = run.start, !input.seek(stream: videoIndex, toKeyframeBefore: start) { return }
        decoder.flush()
        decoder.skipBidirectionalFrames(!run.toEnd)
        analyzer.breakRun()
        var state = RunState(toEnd: run.toEnd)
        if run.toEnd { decodeCounted(state: &state); return }
        // The pair: send the keyframe and the next packet that is not a B-frame (its timestamp is later
        // than every one sent before it), then drain.
        var decodable = 0
        var latest = Int64.min
        var reachedEnd = false
        while decodable < ContentSampler.framesPerRun {
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
        let short = state.taken < ContentSampler.framesPerRun && !reachedEnd
        guard short || ContentSampler.undecided(analyzer) else { return }
        // Undecided (or the decoder held a frame back): decode the run again from its keyframe, past the
        // frames already taken, until it decides.
        guard let keyframe = run.start ?? keyframes.first ?? startTime,
              input.seek(stream: videoIndex, toKeyframeBefore: keyframe) else { return }
        decoder.flush()
        state.limit = ContentSampler.framesPerRun + ContentSampler.stillExtension
        state.skipUpTo = state.lastTimestamp
        decodeCounted(state: &state)
    }
}
