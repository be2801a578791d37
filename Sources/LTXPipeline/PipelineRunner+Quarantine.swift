import Foundation

/// Poison files: a stage that crashes the process (or is killed for hanging) would be retried at every start and
/// stop an unattended pipeline for good. Before each risky stage the ledger records an attempt; a job whose last
/// `poisonAttempts` attempts of that stage never reached an outcome is failed as `poison` instead of run again.
extension PipelineRunner {
    /// The risky stage a job in `state` runs next (decoding untrusted media or writing many files), if any.
    static func riskyStage(after state: JobState) -> JobStage? {
        switch state {
        case .claimed: .preflight
        case .downloaded: .verify
        case .verified: .archive
        default: nil
        }
    }

    /// Records an attempt of the job's next risky stage and returns the record to go on with, or quarantines the job
    /// (failed, reason `poison`) and returns nil when earlier attempts of that stage never ended. A job whose next
    /// stage is not risky is returned as it is.
    func admitRiskyStage(_ job: JobRecord) async throws -> JobRecord? {
        guard let stage = PipelineRunner.riskyStage(after: job.state) else { return job }
        let unended = PoisonCount.unendedAttempts(of: stage, in: try await ledger.events(for: job.id))
        let limit = configuration.poisonAttempts
        if unended >= limit {
            try await fail(job, stage: stage, reason: .poison,
                           detail: "\(stage.rawValue) was started \(unended) times and never finished (the process crashed or was stopped each time); quarantined so the pipeline can go on")
            return nil
        }
        return try await ledger.update(job, event: event(job.id, stage, PoisonCount.attempt, "attempt \(unended + 1) of at most \(limit)")) { _ in }
    }
}

/// Counts the attempts of a stage that never reached an outcome.
enum PoisonCount {
    /// The event outcome that marks the start of a risky stage.
    static let attempt = "attempt"

    /// Attempts of `stage` after its last outcome (any other event of that stage, or a hold or failure of the job);
    /// events of other stages in between (a resume, a re-verify before archiving) do not end the count.
    static func unendedAttempts(of stage: JobStage, in events: [JobEvent]) -> Int {
        var count = 0
        for event in events.reversed() {
            if event.stage == stage {
                if event.outcome == attempt { count += 1 } else { break }
            } else if event.stage == .hold || event.stage == .fail {
                break
            }
        }
        return count
    }
}
