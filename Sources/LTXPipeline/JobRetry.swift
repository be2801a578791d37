import Foundation
import LTXCore

/// Why `ltxpipe retry` left a job as it was.
public enum JobRetryError: Error, CustomStringConvertible, Sendable {
    /// No job with this id in the ledger.
    case notFound(String)
    /// The job is not failed or held.
    case notRetryable(id: String, state: JobState)
    /// A submit was sent and never answered: sending again may pay twice.
    case uncertainSubmit(String)
    /// The job's files cannot be brought back as they were claimed.
    case inputs(id: String, message: String)
    /// The ledger refused.
    case ledger(LedgerError)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .notFound(let id): return "\(id): no such job in the ledger"
        case .notRetryable(let id, let state): return "\(id): is \(state.rawValue); only a failed or held job can be retried"
        case .uncertainSubmit(let id):
            return "\(id): its submit was sent and no answer came back, so it may have been accepted and paid for; check the account's "
                + "generations first, and retry with --resubmit-uncertain to send it again (which may pay twice)"
        case .inputs(let id, let message): return "\(id): \(message)"
        case .ledger(let error): return error.description
        }
    }
}

/// What a retry did.
public struct JobRetryOutcome: Sendable {
    /// The job's row as the retry left it.
    public var job: JobRecord
    /// What the job cost before (its earlier attempts), when it had been charged or estimated.
    public var paidBefore: Double?
    /// The state it left.
    public var from: JobState
}

/// Sends a failed or held job back into the pipeline with its original inputs: the next `run` takes it up again.
/// A failed job's files come back from `failed/NAME/` (checked against the SHA-256 recorded at its claim) into its
/// working folder, and it starts again at preflight; a held job's hold is lifted. A submit whose outcome is unknown
/// is never sent again unless the caller says so. Run it only while no `run` holds the ledger (`LedgerLock`).
public enum JobRetry {
    /// Retries job `id` of `configuration`'s pipeline.
    public static func retry(_ id: String, ledger: Ledger, configuration: PipelineConfiguration,
                             resubmitUncertain: Bool, now: Date = Date()) async throws(JobRetryError) -> JobRetryOutcome {
        let found: JobRecord?
        do { found = try await ledger.job(id) } catch { throw .ledger(error) }
        guard let job = found else { throw .notFound(id) }
        guard job.state == .failed || job.state == .held else { throw .notRetryable(id: id, state: job.state) }
        let uncertain = job.submitStartedAt != nil && job.generationID == nil
        if uncertain && !resubmitUncertain { throw .uncertainSubmit(id) }
        if job.state == .held { return try await lift(job, ledger: ledger, uncertain: uncertain, now: now) }

        if job.failedStage == .claim {
            throw .inputs(id: id, message: "failed at claim (\(job.reason?.rawValue ?? "unknown")): its files are not inputs the pipeline can use; fix them and drop them again")
        }
        let working = configuration.state + "/jobs/" + id
        if let folder = job.failedFolder {
            if folder == configuration.drop {
                throw .inputs(id: id, message: "its files never left the drop folder; fix them there and they are taken as a new job")
            }
            try await bringBack(job, from: folder, to: working + "/inputs")
        }
        let paid = job.totalCost
        let detail = "sent back into the pipeline by ltxpipe retry after failing at \(job.failedStage?.rawValue ?? "?") (\(job.reason?.rawValue ?? "?"))"
            + (paid.map { String(format: "; earlier attempts cost $%.2f", $0) } ?? "")
        let updated: JobRecord
        do {
            updated = try await ledger.update(job, event: JobEvent(jobID: id, at: now, stage: .resume, outcome: "retry", detail: detail)) {
                $0.priorCost = paid
                $0.cost = nil
                $0.state = .claimed
                $0.reason = nil
                $0.detail = nil
                $0.resumeState = nil
                $0.failedFolder = nil
                $0.failedStage = nil
                $0.preflight = nil
                $0.submitStartedAt = nil
                $0.generationID = nil
                $0.videoURL = nil
                $0.response = nil
                $0.videoSHA256 = nil
                $0.verification = nil
                $0.inputRetries = 0
            }
        } catch { throw .ledger(error) }
        if let folder = job.failedFolder { await BlockingWork.run { retireFailedFolder(folder, now: now) } }
        return JobRetryOutcome(job: updated, paidBefore: paid, from: .failed)
    }

    /// Lifts a hold: the job goes back to where it stood (before the submit, for an uncertain one).
    private static func lift(_ job: JobRecord, ledger: Ledger, uncertain: Bool, now: Date) async throws(JobRetryError) -> JobRetryOutcome {
        let resume: JobState = uncertain ? .preflighted : job.resumeState ?? .preflighted
        let detail = "hold (\(job.reason?.rawValue ?? "?")) lifted by ltxpipe retry" + (uncertain ? "; the uncertain submit will be sent again (--resubmit-uncertain)" : "")
        do {
            let updated = try await ledger.update(job, event: JobEvent(jobID: job.id, at: now, stage: .resume, outcome: "retry", detail: detail)) {
                $0.state = resume
                $0.reason = nil
                $0.detail = nil
                if uncertain { $0.submitStartedAt = nil }
            }
            return JobRetryOutcome(job: updated, paidBefore: job.totalCost, from: .held)
        } catch { throw .ledger(error) }
    }

    /// Moves the claimed inputs from the failed folder into the working folder, each checked against its recorded
    /// digest first; a file already back (an earlier retry cut short) is checked where it is.
    private static func bringBack(_ job: JobRecord, from folder: String, to inputs: String) async throws(JobRetryError) {
        let id = job.id
        let files = job.inputs
        let problem: String? = await BlockingWork.run { () -> String? in
            do { try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true) } catch {
                return "cannot create \(inputs) (\(error))"
            }
            for input in files {
                let source = folder + "/" + input.name
                let target = inputs + "/" + input.name
                var info = stat()
                let present = lstat(target, &info) == 0
                if !present && lstat(source, &info) != 0 {
                    if input.sha256 == nil { continue }
                    return "\(source) is missing: the original input cannot be sent again"
                }
                if let expected = input.sha256 {
                    let path = present ? target : source
                    guard let digest = try? DurableFile.digest(of: path) else { return "\(path) cannot be read" }
                    if digest.sha256 != expected { return "\(path) changed since it was claimed (its SHA-256 differs): not the original input" }
                }
                if present { continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    if rename(source, target) != 0 { return "cannot move \(source) back (\(String(cString: strerror(errno))))" }
                } else {
                    do { try DurableFile.move(source, to: target) } catch { return "\(error)" }
                }
            }
            return nil
        }
        if let problem { throw .inputs(id: id, message: DisplayText.escaped(problem)) }
    }

    /// The failed folder after its inputs went back: removed when only `error.json` is left, else kept (it holds the
    /// earlier attempt's video or report) with `error.json` marked as retried.
    private static func retireFailedFolder(_ folder: String, now: Date) {
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != "error.json" }
        if left.isEmpty {
            try? FileManager.default.removeItem(atPath: folder)
            return
        }
        let path = folder + "/error.json"
        guard let data = FileManager.default.contents(atPath: path),
              var note = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
        note["retried"] = ISO8601DateFormatter().string(from: now)
        if let text = try? JSONSerialization.data(withJSONObject: note, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            try? DurableFile.write(text, to: path)
        }
    }
}
