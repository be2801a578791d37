import Foundation
import LTXMedia

/// One generation the simulator accepted, whichever wire dialect created it.
struct SimulatedJob: Sendable {
    /// How a job ends once its latency has passed.
    enum Outcome: Sendable, Equatable {
        /// A video of this shape (which faults may have bent away from the request).
        case video(TestPattern)
        /// A failed generation with this message.
        case failure(String, FailureCause = .generation)

        /// The message of a failed generation, else nil.
        var failureMessage: String? {
            switch self {
            case .failure(let text, _): return text
            case .video: return nil
            }
        }

        /// Why a failed generation failed, else nil.
        var failureCause: FailureCause? {
            switch self {
            case .failure(_, let cause): return cause
            case .video: return nil
            }
        }
    }

    /// Why a generation failed after it was accepted.
    enum FailureCause: Sendable, Equatable {
        /// The service failed to render it (ltx-v2 `api_error`, generations `generation_failed`).
        case generation
        /// The safety filter refused the result (ltx-v2 `content_filtered_error`, generations `content_filtered`).
        case contentFilter
    }

    /// Where a job stands at some moment (the generations dialect's vocabulary).
    enum Status: String, Sendable {
        case processing, completed, failed
    }

    /// Where a job stands at some moment in the ltx-v2 dialect's vocabulary.
    enum V2Status: String, Sendable {
        case pending, processing, completed, failed
    }

    /// What was asked for, in the dialect that asked.
    enum Request: Sendable {
        case generations(GenerationSpec)
        case ltxV2(V2Spec)
        case fal(FalSpec)
        case replicate(ReplicateSpec)
        case wavespeed(WaveSpeedSpec)
        case apifree(APIFreeSpec)
    }

    /// `gen_...` (generations) or a lower-case UUID (ltx-v2).
    let id: String
    /// What was asked for.
    let request: Request
    /// Charged at acceptance, millionths of a USD (0 when the price is unknown).
    let costMicroUSD: Int64
    /// Whether the price of the job is known (an ltx-v2 job on a price missing from the list is not).
    var priceKnown = true
    /// What the video shows and sounds like.
    var content = VideoContent.standard
    /// Wall-clock acceptance time (for `created_at`).
    let createdAt: Date
    /// Simulated time of acceptance.
    let acceptedAt: Double
    /// Simulated time at which the job starts running (later than acceptance when it waited in a queue).
    var startsAt: Double?
    /// Simulated time at which the job finishes.
    let readyAt: Double
    /// How it finishes.
    let outcome: Outcome

    /// The generations request, nil for an ltx-v2 job.
    var spec: GenerationSpec? {
        if case .generations(let spec) = request { return spec }
        return nil
    }

    /// The ltx-v2 request, nil for a generations job.
    var v2Spec: V2Spec? {
        if case .ltxV2(let spec) = request { return spec }
        return nil
    }

    /// The fal request, nil for the other dialects' jobs.
    var falSpec: FalSpec? {
        if case .fal(let spec) = request { return spec }
        return nil
    }

    /// The Replicate prediction, nil for the other dialects' jobs.
    var replicateSpec: ReplicateSpec? {
        if case .replicate(let spec) = request { return spec }
        return nil
    }

    /// The WaveSpeed task, nil for the other dialects' jobs.
    var waveSpeedSpec: WaveSpeedSpec? {
        if case .wavespeed(let spec) = request { return spec }
        return nil
    }

    /// The APIFree video task, nil for the other dialects' jobs.
    var apiFreeSpec: APIFreeSpec? {
        if case .apifree(let spec) = request { return spec }
        return nil
    }

    /// The job's status at simulated time `now`.
    func status(at now: Double) -> Status {
        guard now >= readyAt else { return .processing }
        switch outcome {
        case .video: return .completed
        case .failure: return .failed
        }
    }

    /// The ltx-v2 status: `pending` for the first quarter of the latency, then `processing`, then the outcome.
    func v2Status(at now: Double) -> V2Status {
        switch status(at: now) {
        case .completed: return .completed
        case .failed: return .failed
        case .processing:
            let start = startsAt ?? acceptedAt
            return now < start + (readyAt - start) / 4 ? .pending : .processing
        }
    }

    /// Whether an ltx-v2 or fal job's status and video are gone: finished at least `lifetime` simulated seconds before
    /// `now`. Generations jobs never expire.
    /// A Replicate prediction's output is kept for `replicateLifetime` (Replicate's hour), whatever `lifetime` says.
    func isExpired(at now: Double, lifetime: Double, replicateLifetime: Double = ReplicateRules.outputRetention) -> Bool {
        if replicateSpec != nil { return now >= readyAt + replicateLifetime }
        guard v2Spec != nil || falSpec != nil else { return false }
        return now >= readyAt + lifetime
    }

    /// The video shape when the job produces one.
    var pattern: TestPattern? {
        if case .video(let pattern) = outcome { return pattern }
        return nil
    }

    /// The cost in USD.
    var cost: Double { Double(costMicroUSD) / 1_000_000 }

    /// The shape a correct job renders: the request's resolution and rate, N = 8·⌊D·F/8⌋ + 1 frames (at least 9).
    static func pattern(for spec: GenerationSpec) -> TestPattern {
        let fps = Rational(spec.fps, 1)
        return TestPattern(
            width: spec.resolution.width, height: spec.resolution.height, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: Double(spec.duration), fps: fps), audio: true)
    }

    /// The shape a correct fal job renders: the tier and aspect's size, the rate, N = 8·⌊D·F/8⌋ + 1 frames.
    static func pattern(for spec: FalSpec) -> TestPattern {
        let fps = Rational(spec.fps, 1)
        return TestPattern(
            width: spec.width, height: spec.height, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: Double(spec.duration), fps: fps), audio: spec.generateAudio)
    }

    /// The shape a correct Replicate prediction renders: the tier and aspect's size, the rate, N = 8·⌊D·F/8⌋ + 1 frames.
    static func pattern(for spec: ReplicateSpec) -> TestPattern {
        let fps = Rational(spec.fps, 1)
        return TestPattern(
            width: spec.width, height: spec.height, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: Double(spec.duration), fps: fps), audio: spec.generateAudio)
    }

    /// The shape a correct WaveSpeed task renders: 1920x1080 at 25 fps, N = 8·⌊D·F/8⌋ + 1 frames.
    static func pattern(for spec: WaveSpeedSpec) -> TestPattern {
        let fps = Rational(WaveSpeedRules.frameRate, 1)
        return TestPattern(
            width: 1920, height: 1080, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: Double(spec.duration), fps: fps), audio: spec.generateAudio)
    }

    /// The shape a correct APIFree task renders: the requested size at 24 fps, N = 8·⌊D·F/8⌋ + 1 frames, with a tone.
    static func pattern(for spec: APIFreeSpec) -> TestPattern {
        let fps = Rational(APIFreeRules.frameRate, 1)
        return TestPattern(
            width: spec.width, height: spec.height, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: Double(spec.seconds), fps: fps), audio: true)
    }

    /// The shape a correct ltx-v2 job renders: the request's resolution and rate (audio-to-video: 25 fps, as long as the
    /// audio; `ltx-2-5-*` "auto": the chosen length), N = 8·⌊D·F/8⌋ + 1 frames, an AAC track unless `generate_audio`
    /// was false.
    static func pattern(for spec: V2Spec) -> TestPattern {
        let fps = Rational(spec.request.fps, 1)
        return TestPattern(
            width: spec.request.resolution.width, height: spec.request.resolution.height, fps: fps,
            frameCount: TestPattern.lightricksFrameCount(duration: spec.outputSeconds, fps: fps),
            audio: spec.request.generateAudio)
    }
}
