/// Sampled mode's audio, measured on a `SideThread` while the calling thread decodes the video runs: the
/// thread opens the file a second time (its own demuxer and decoder) and feeds an analyser of its own, whose
/// audio the caller takes over once `finish` has waited for the thread.
struct AudioSampling {
    private let side: SideThread<MediaError?>
    private let analyzer: ContentAnalyzer

    /// Starts measuring the audio stream `audioIndex` of `path` as `need` asks, on a new thread.
    static func start(path: String, audioIndex: Int, need: ContentSampler.AudioNeed, thumbnail: (width: Int, height: Int)) throws(MediaError) -> AudioSampling {
        let analyzer: ContentAnalyzer
        do { analyzer = try ContentAnalyzer(thumbnail: thumbnail) } catch {
            throw MediaError(.unreadable, path: path, reason: "cannot prepare the content checks (\(error.message))")
        }
        let side = SideThread<MediaError?>.start(name: "ltxpipe-audio-sampling") {
            do throws(MediaError) {
                let input = try MediaProbe.openMedia(path)
                guard audioIndex < input.streamCount else { return nil }
                try ContentSampler.measureAudio(path: path, input: input, audioIndex: audioIndex, need: need, into: analyzer)
                return nil
            } catch {
                return error
            }
        }
        return AudioSampling(side: side, analyzer: analyzer)
    }

    /// Waits for the thread; without `into`, only that (the caller is leaving on an error of its own).
    /// With it, moves the measured audio into `target` or throws the thread's error.
    func finish(into target: ContentAnalyzer?) throws(MediaError) {
        let failure = side.wait() ?? nil
        guard let target else { return }
        if let failure { throw failure }
        target.takeAudio(from: analyzer)
    }
}
