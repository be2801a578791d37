import Foundation
import LTXCore

/// Sampled mode's audio, measured on a thread of its own while the calling thread decodes the video runs:
/// the thread opens the file a second time (its own demuxer and decoder) and feeds an analyser of its own,
/// whose audio the caller takes over once `finish` has waited for the thread.
///
/// `@unchecked Sendable`: `path`, `audioIndex`, `need` and `deadline` are immutable; `analyzer` and `failure` are
/// touched only by the audio thread between `start` and the `done` semaphore's signal, and only by the caller
/// after `finish` has waited for that signal (the semaphore orders the two), so no two threads use them at once.
final class AudioSampling: @unchecked Sendable {
    private let path: String
    private let audioIndex: Int
    private let need: ContentSampler.AudioNeed
    private let deadline: StageDeadline?
    private let analyzer: ContentAnalyzer
    private var failure: MediaError?
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    private init(path: String, audioIndex: Int, need: ContentSampler.AudioNeed, analyzer: ContentAnalyzer) {
        self.path = path
        self.audioIndex = audioIndex
        self.need = need
        self.analyzer = analyzer
        deadline = StageDeadline.current
    }

    /// Starts measuring the audio stream `audioIndex` of `path` as `need` asks, on a new thread (the stage
    /// deadline bound here goes with it).
    static func start(path: String, audioIndex: Int, need: ContentSampler.AudioNeed, thumbnail: (width: Int, height: Int)) throws(MediaError) -> AudioSampling {
        let analyzer: ContentAnalyzer
        do { analyzer = try ContentAnalyzer(thumbnail: thumbnail) } catch {
            throw MediaError(.unreadable, path: path, reason: "cannot prepare the content checks (\(error.message))")
        }
        let sampling = AudioSampling(path: path, audioIndex: audioIndex, need: need, analyzer: analyzer)
        let thread = Thread { sampling.work() }
        thread.name = "ltxpipe-audio-sampling"
        thread.start()
        return sampling
    }

    private func work() {
        defer { done.signal() }
        StageDeadline.$current.withValue(deadline) {
            do throws(MediaError) {
                let input = try MediaProbe.openMedia(path)
                guard audioIndex < input.streamCount else { return }
                try ContentSampler.measureAudio(path: path, input: input, audioIndex: audioIndex, need: need, into: analyzer)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the thread; without `into`, only that (the caller is leaving on an error of its own).
    /// With it, moves the measured audio into `target` or throws the thread's error.
    func finish(into target: ContentAnalyzer?) throws(MediaError) {
        if !finished {
            done.wait()
            finished = true
        }
        guard let target else { return }
        if let failure { throw failure }
        target.takeAudio(from: analyzer)
    }
}
