import Foundation
import LTXMedia

/// One generation the simulator accepted, independent of the wire dialect that created it.
struct SimulatedJob: Sendable {
    /// How a job ends once its latency has passed.
    enum Outcome: Sendable, Equatable {
        /// A video of this shape (which faults may have bent away from the request).
        case video(TestPattern)
        /// A failed generation with this message.
        case failure(String)
    }

    /// Where a job stands at some moment.
    enum Status: String, Sendable {
        case processing, completed, failed
    }

    /// `gen_...`.
    let id: String
    /// What was asked for.
    let spec: GenerationSpec
    /// Charged at acceptance, millionths of a USD.
    let costMicroUSD: Int64
    /// Wall-clock acceptance time (for `created_at`).
    let createdAt: Date
    /// Simulated time of acceptance.
    let acceptedAt: Double
    /// Simulated time at which the job finishes.
    let readyAt: Double
    /// How it finishes.
    let outcome: Outcome

    /// The job's status at simulated time `now`.
    func status(at now: Double) -> Status {
        guard now >= readyAt else { return .processing }
        switch outcome {
        case .video: return .completed
        case .failure: return .failed
        }
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
}
