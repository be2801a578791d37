import Foundation
import LTXCore

/// Every dropped entry ends somewhere, and a full disk holds work rather than stopping the run.
extension PipelineRunner {
    /// Fails every entry the watcher found that cannot be a job: a ledger row names it (so `jobs` lists it), then it
    /// is renamed into `failed/NAME/` beside `error.json`; one that cannot be renamed there stays in the drop folder
    /// and the log and the ledger say so. Never stops the run.
    func fileStrays(_ watcher: DropWatcher) async {
        for stray in watcher.takeStrays() {
            do { try await fileStray(stray) } catch { log("\(stray.displayName): cannot record it in the ledger: \(DisplayText.escaped("\(error)"))") }
        }
    }

    private func fileStray(_ stray: StrayEntry) async throws {
        let name = stray.displayName
        let id = JobIdentifier.make(stem: DropWatcher.stem(of: name))
        let job = JobRecord(id: id, pipeline: configuration.name, name: name, inputs: [JobInput(name: name, role: .unknown, size: nil, sha256: nil)], now: Date())
        try await ledger.insert(job, event: event(id, .detect, "ok", name))
        let reason = JobReason(rawValue: stray.reason)
        let failed = try await ledger.update(job, event: event(id, .claim, "failed", "\(reason): \(stray.detail)")) {
            $0.state = .failed
            $0.reason = reason
            $0.detail = stray.detail
            $0.failedStage = .claim
        }
        summary.failed += 1
        log("\(name): failed at claim: \(reason): \(stray.detail)")
        let note = FailureNote(job: id, stage: JobStage.claim.rawValue, reason: reason.rawValue, detail: stray.detail,
                               time: ISO8601DateFormatter().string(from: failed.updatedAt), generationID: nil)
        let source = DropDirectory.path(configuration.drop, stray.rawName)
        let root = configuration.failed
        do {
            let folder = try await BlockingWork.run { () throws(DurableFileError) -> String in
                try FailedFolder.fileEntry(rawSource: source, as: name, name: name, note: note, root: root)
            }
            let filed = try await ledger.update(failed, event: event(id, .fail, "filed", folder)) { $0.failedFolder = folder }
            notifier?.post(JobNotification(.failed, job: filed))
        } catch {
            let detail = stray.detail + "; it could not be moved to \(root) (\(error)) and stays in the drop folder"
            // Recorded as filed where it is, so no later run tries to file it again under this job.
            let drop = configuration.drop
            let unmoved = try await ledger.update(failed, event: event(id, .fail, "unmovable", detail)) {
                $0.detail = detail
                $0.failedFolder = drop
            }
            log("\(name): \(detail)")
            notifier?.post(JobNotification(.failed, job: unmoved))
        }
    }

    /// Claims a newly detected group. A claim that fails (a full disk, a copy error) leaves the job detected with the
    /// reason recorded, parks the group in the watcher so it is not taken again as a new job, and lets the run go on;
    /// the next run finishes the claim before it scans. Returns true when the job was claimed (or failed and filed).
    func claimDetected(_ job: JobRecord, group: DropGroup, watcher: DropWatcher) async -> Bool {
        do {
            _ = try await claim(job)
            return true
        } catch {
            let reason: JobReason = DiskFull.matches(error) ? .diskFull : "claim-failed"
            let detail = "\(DisplayText.escaped("\(error)")); the files stay in the drop folder and the next run claims them"
            log("\(job.name): claim held (\(reason)): \(detail)")
            let held = try? await ledger.update(job, event: event(job.id, .claim, reason.rawValue, detail)) {
                $0.reason = reason
                $0.detail = detail
            }
            // Posted like every other hold, once: a parked claim tried again for the same reason says nothing new.
            if let held, job.reason != reason { notifier?.post(JobNotification(.held, job: held)) }
            watcher.park(group)
            leftUnfinished.insert(job.id)
            parkedClaims[job.id] = (group, clock.now() + PipelineRunner.claimRetrySeconds)
            return false
        }
    }

    /// Seconds (nominal) between attempts at a claim that failed.
    static let claimRetrySeconds: Double = 30

    /// Tries again the parked claims whose time has come; returns the jobs now claimed, to be processed.
    func retryParkedClaims(_ watcher: DropWatcher) async -> [String] {
        let now = clock.now()
        var claimed: [String] = []
        for (id, parked) in parkedClaims where parked.retryAt <= now {
            parkedClaims[id] = nil
            guard let job = try? await ledger.job(id), job.state == .detected else { continue }
            if await claimDetected(job, group: parked.group, watcher: watcher) {
                watcher.forget(parked.group)
                leftUnfinished.remove(id)
                claimed.append(id)
            }
        }
        return claimed
    }

    /// After a stage threw: a full disk holds the job (`disk-full`, resuming where it stood); anything else is logged
    /// and the job stays where the ledger has it, counted as unfinished.
    func stageThrew(_ id: String, _ error: any Error) async {
        guard !Task.isCancelled else { return }
        log("\(id): \(DisplayText.escaped("\(error)"))")
        leftUnfinished.insert(id)
        guard DiskFull.matches(error), let job = try? await ledger.job(id) else { return }
        switch job.state {
        case .archived, .held: return
        case .failed:
            log("\(job.name): failed, but its files could not be filed in \(configuration.failed) (disk full); the next run files them")
        default:
            try? await hold(job, reason: .diskFull, detail: "no space left on device (\(DisplayText.escaped("\(error)"))); make room and run again", resume: job.state)
        }
    }

    /// Jobs a `--once` run leaves unfinished although they are not held (a claim that failed, a stage that threw).
    func unfinishedCount() async -> Int {
        var count = 0
        for id in leftUnfinished {
            if let job = try? await ledger.job(id), job.state != .archived, job.state != .held, !(job.state == .failed && job.failedFolder != nil) { count += 1 }
        }
        return count
    }
}
