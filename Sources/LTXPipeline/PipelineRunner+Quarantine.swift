import Foundation
import LTXCore

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
                           detail: "\(stage.rawValue) was started \(unended) times and never finished (the process crashed, was stopped or timed out each time); quarantined so the pipeline can go on")
            return nil
        }
        return try await ledger.update(job, event: event(job.id, stage, PoisonCount.attempt, "attempt \(unended + 1) of at most \(limit)")) { _ in }
    }
}

extension PipelineRunner {
    /// Throws `StageTimedOut` when the running stage's media work was stopped by its deadline: what it produced (an
    /// error, or a report from a read cut short) says nothing about the file, so the stage commits none of it.
    func throwIfStageTimedOut() throws {
        if let deadline = StageDeadline.current, deadline.expired { throw StageTimedOut(seconds: deadline.seconds) }
    }

    /// Records that the job's risky stage timed out; the attempt stays unended, so the next admission counts it.
    func recordTimeout(_ job: JobRecord, _ timeout: StageTimedOut) async throws -> JobRecord {
        guard let stage = PipelineRunner.riskyStage(after: job.state) else { return job }
        log("\(job.name): \(stage.rawValue) stopped: \(timeout.description)")
        return try await ledger.update(job, event: event(job.id, stage, PoisonCount.timedOut, timeout.description)) { _ in }
    }
}

/// Counts the attempts of a stage that never reached an outcome.
enum PoisonCount {
    /// The event outcome that marks the start of a risky stage.
    static let attempt = "attempt"
    /// The event outcome of a stage whose media work ran past `stage_timeout_seconds`: it ends nothing.
    static let timedOut = "timeout"

    /// Attempts of `stage` after its last outcome (any other event of that stage but a timeout, or a hold or failure of the job);
    /// events of other stages in between (a resume, a re-verify before archiving) do not end the count.
    static func unendedAttempts(of stage: JobStage, in events: [JobEvent]) -> Int {
        var count = 0
        for event in events.reversed() {
            if event.stage == stage {
                if event.outcome == attempt { count += 1 } else if event.outcome != timedOut { break }
            } else if event.stage == .hold || event.stage == .fail {
                break
            }
        }
        return count
    }
}
