import Foundation

/// Identical drops in flight together: the duplicate check against archived jobs cannot see a twin that is still
/// being generated, so both would be paid. The runner keeps the fingerprint of every job it is preflighting or
/// generating; a second job with the same fingerprint is held as `duplicate-in-flight` and waits for the first to
/// end, then goes on (and meets `duplicate-of` when the first was archived).
extension PipelineRunner {
    /// Returns `job` once no other job with `fingerprint` is in flight (registering it as the one in flight), or nil
    /// when the run was cancelled while it waited (the job stays held and resumes in the next run).
    func waitForInFlightTwin(_ job: JobRecord, fingerprint: String, force: Bool) async throws -> JobRecord? {
        if force { return job }
        var current = job
        var holding = false
        while true {
            let owner = fingerprintsInFlight[fingerprint]
            var twin: String?
            if let owner, owner != job.id, try await isInFlight(owner) { twin = owner }
            if twin == nil, let other = try await ledger.live(fingerprint: fingerprint).first(where: { $0.id != job.id }) { twin = other.id }
            if let twin {
                if !holding {
                    let detail = "identical inputs and parameters are being generated as \(twin); waiting for it to end"
                    current = try await ledger.update(current, event: event(job.id, .hold, JobReason.duplicateInFlight.rawValue, detail)) {
                        $0.state = .held
                        $0.reason = .duplicateInFlight
                        $0.detail = detail
                        $0.resumeState = .claimed
                    }
                    log("\(job.name): held (\(JobReason.duplicateInFlight)): \(detail)")
                    notifier?.post(JobNotification(.held, job: current))
                    holding = true
                }
                do { try await clock.sleep(configuration.pollSeconds) } catch { return nil }
                continue
            }
            // The checks above awaited: take the slot only if nobody took it meanwhile.
            guard fingerprintsInFlight[fingerprint] == owner else { continue }
            fingerprintsInFlight[fingerprint] = job.id
            break
        }
        if holding {
            current = try await ledger.update(current, event: event(job.id, .resume, "ok", "the identical job in flight ended")) {
                $0.state = .claimed
                $0.reason = nil
                $0.detail = nil
                $0.resumeState = nil
            }
        }
        return current
    }

    /// True while job `id` may still be paid for or archived: preflighting, generating, or held after its submit.
    private func isInFlight(_ id: String) async throws -> Bool {
        guard let other = try await ledger.job(id) else { return false }
        switch other.state {
        case .archived, .failed, .detected: return false
        case .held: return other.generationID != nil || other.submitStartedAt != nil
        default: return true
        }
    }
}
