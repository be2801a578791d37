/// Watches decoded frames go by (every frame in deep mode, a few runs of them in sampled mode) and keeps
/// what the content checks need: each frame's luma levels, exact repeats, the first and last thumbnails,
/// and the audio's loudness envelope. Used from one thread at a time.
final class ContentAnalyzer {
    private let thumbnailer: LumaThumbnailer
    private var meter = LoudnessMeter()
    private var finishedAudio: LoudnessEnvelope?
    /// True when the audio taken is a few windows of the track rather than all of it.
    var audioWindowed = false
    private var levels: [ContentMeasurement.FrameLevel] = []
    private var previous: (frame: Frame, thumbnail: LumaThumbnail)?
    private var pairs = 0, identicalPairs = 0
    /// Sampled mode: runs that had a pair, runs whose last pair was an exact repeat, and each run's last frame.
    private var runs = 0, frozenRuns = 0
    private var runHasPair = false
    private var runLevels: [ContentMeasurement.FrameLevel] = []
    private var runLast: ContentMeasurement.FrameLevel?
    /// Levels of the frame added last.
    private(set) var lastLevel: ContentMeasurement.FrameLevel?
    /// How the last pair compared: mean absolute thumbnail difference, and whether it was an exact repeat.
    private(set) var lastPair: (difference: Double, identical: Bool)?
    private var sawAudio = false
    private(set) var first: LumaThumbnail?
    private(set) var last: LumaThumbnail?
    private(set) var error: String?
    private var audioError: String?

    /// An analyser making thumbnails of `size`.
    init(thumbnail size: (width: Int, height: Int)) throws(FFmpegError) {
        thumbnailer = try LumaThumbnailer(width: size.width, height: size.height)
    }

    /// Width and height of the thumbnails it makes.
    var thumbnailSize: (width: Int, height: Int) { (thumbnailer.width, thumbnailer.height) }

    /// The next frame does not follow the previous one (a seek happened).
    func breakRun() {
        if let runLast { runLevels.append(runLast) }
        runLast = nil
        if runHasPair {
            runs += 1
            if lastPair?.identical == true { frozenRuns += 1 }
        }
        runHasPair = false
        previous = nil
        lastPair = nil
    }

    /// Takes one decoded video frame.
    func addVideo(_ frame: Frame) {
        guard error == nil else { return }
        do {
            let thumbnail = try thumbnailer.thumbnail(of: frame)
            let stats = thumbnail.statistics
            let level = ContentMeasurement.FrameLevel(mean: stats.mean, spread: stats.spread)
            levels.append(level)
            lastLevel = level
            runLast = level
            if first == nil { first = thumbnail }
            last = thumbnail
            if let previous {
                pairs += 1
                runHasPair = true
                // Equal thumbnails are confirmed on the full luma plane; different ones cannot be repeats.
                let identical = previous.thumbnail == thumbnail && frame.hasSameLuma(as: previous.frame)
                if identical { identicalPairs += 1 }
                lastPair = (thumbnail.meanDifference(from: previous.thumbnail), identical)
            }
            previous = (try frame.reference(), thumbnail)
        } catch {
            self.error = "frame \(levels.count): \(error.message)"
        }
    }

    /// Takes one decoded audio frame.
    func addAudio(_ frame: Frame) {
        guard audioError == nil else { return }
        do {
            try meter.add(frame)
            sawAudio = true
        } catch {
            audioError = error.message
        }
    }

    /// The envelope of the audio taken so far (no more can be added after this), nil when none decoded.
    func finishAudio() -> LoudnessEnvelope? {
        if finishedAudio == nil, sawAudio, audioError == nil {
            do { finishedAudio = try meter.finish() } catch { audioError = error.message }
        }
        return finishedAudio
    }

    /// Forgets the audio taken so far, to measure the track again.
    func restartAudio() {
        meter = LoudnessMeter()
        finishedAudio = nil
        audioWindowed = false
        sawAudio = false
        audioError = nil
    }

    /// Replaces the audio taken so far with what `other` took (sampled mode measures the audio on a thread of
    /// its own, into an analyser of its own).
    func takeAudio(from other: ContentAnalyzer) {
        meter = other.meter
        finishedAudio = other.finishedAudio
        audioWindowed = other.audioWindowed
        sawAudio = other.sawAudio
        audioError = other.audioError
    }

    /// Adds the video frames `other` took after the ones taken here, as if they had come next after a seek
    /// (sampled mode decodes its later runs on a thread of its own, into an analyser of its own).
    func append(_ other: ContentAnalyzer) {
        breakRun()
        other.breakRun()
        guard error == nil else { return }
        levels += other.levels
        pairs += other.pairs
        identicalPairs += other.identicalPairs
        runs += other.runs
        frozenRuns += other.frozenRuns
        runLevels += other.runLevels
        if first == nil { first = other.first }
        if let otherLast = other.last { last = otherLast }
        if let otherLevel = other.lastLevel { lastLevel = otherLevel }
        if let otherError = other.error { error = otherError }
    }

    /// What was seen, compared with the reference pictures and soundtrack.
    /// In sampled mode each run counts as one frame and one pair: its last ones, so a fade from black or an
    /// encoder still refining a frozen picture just after a keyframe does not decide the run.
    func measurement(sampled: Bool, references: ContentReferences) -> ContentMeasurement {
        breakRun()
        let audio = finishAudio()
        let problems = [error, audioError.map { "audio: \($0)" }].compactMap { $0 }
        var measured = ContentMeasurement(
            sampled: sampled, frames: sampled ? runLevels : levels, pairs: sampled ? runs : pairs, identicalPairs: sampled ? frozenRuns : identicalPairs,
            startImageSimilarity: references.startImage.flatMap { reference in first.flatMap { $0.similarity(to: reference) } },
            lastFrameSimilarity: references.lastFrame.flatMap { reference in last.flatMap { $0.similarity(to: reference) } },
            audio: audio, soundtrack: references.soundtrack,
            error: problems.isEmpty ? nil : problems.joined(separator: "; ")
        )
        measured.audioWindowed = audioWindowed
        return measured
    }
}
