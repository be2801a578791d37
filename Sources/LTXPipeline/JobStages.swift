import Foundation
import Synchronization
import LTXAPI
import LTXCore
import LTXGeneration
import LTXMedia

/// The stages of a job. Each takes the job's record as the ledger last committed it and returns the record its
/// own commit produced (nil when the job stops here: failed, held, or cancelled), so no stage re-reads the row the
/// previous one wrote. The generation itself goes through `GenerationSteps`, as `ltxpipe generate` does.
extension PipelineRunner {
    // MARK: claim

    /// Moves the group's files out of the drop folder into the job's folder (rename; copy + verify across
    /// filesystems). Symlinks are moved as links and never followed.
    func claim(_ job: JobRecord) async throws -> JobRecord? {
        let inputsFolder = jobDirectory(job.id) + "/inputs"
        let drop = configuration.drop
        let inputs = job.inputs
        let claimed: [JobInput] = try await BlockingWork.run { () throws -> [JobInput] in
            try FileManager.default.createDirectory(atPath: inputsFolder, withIntermediateDirectories: true)
            var result: [JobInput] = []
            for var input in inputs {
                let target = inputsFolder + "/" + input.name
                let source = drop + "/" + input.name
                var info = stat()
                if lstat(target, &info) != 0 {
                    guard lstat(source, &info) == 0 else { result.append(input); continue }
                    if (info.st_mode & S_IFMT) == S_IFLNK {
                        guard rename(source, target) == 0 else { throw DurableFileError("claim", source) }
                    } else {
                        try DurableFile.move(source, to: target)
                    }
                }
                guard lstat(target, &info) == 0 else { result.append(input); continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    input.role = .unknown
                } else {
                    let digest = try DurableFile.digest(of: target)
                    input.sha256 = digest.sha256
                    input.size = digest.size
                }
                result.append(input)
            }
            return result
        }
        let missing = claimed.filter { $0.sha256 == nil && $0.role != .unknown }.map(\.name)
        let updated = try await ledger.update(job, event: event(job.id, .claim, missing.isEmpty ? "ok" : "partial",
                                                                   missing.isEmpty ? "moved into \(inputsFolder)" : "vanished before the claim: \(missing.joined(separator: ", "))")) {
            $0.state = .claimed
            $0.inputs = claimed
        }
        if claimed.allSatisfy({ $0.sha256 == nil && $0.role != .unknown }) {
            try await fail(updated, stage: .claim, reason: .vanished, detail: "the dropped files disappeared before they could be claimed")
            return nil
        }
        return updated
    }

    // MARK: preflight

    /// Classifies the group by the drop conventions, refuses duplicates, and preflights the inputs.
    func preflight(_ job: JobRecord) async throws -> JobRecord? {
        let folder = jobDirectory(job.id)
        let inputs = job.inputs.filter { $0.sha256 != nil || $0.role == .unknown }
        let chosen: JobSpec
        let lane: ProviderLane
        switch route(job, inputs: inputs, folder: folder) {
        case .failure(.rejected(let rejection)):
            try await fail(job, stage: .classify, reason: JobReason(rawValue: rejection.reason), detail: rejection.detail)
            return nil
        case .failure(.held(let reason, let detail)):
            try await hold(job, reason: reason, detail: detail, resume: .claimed)
            return nil
        case .success(let routed):
            chosen = routed.spec
            lane = routed.lane
        }
        let steps = lane.steps
        let parameters = chosen.parameters
        let fingerprint = Fingerprint.make(inputs: inputs.compactMap(\.sha256), parameters: parameters)
        guard let job = try await waitForInFlightTwin(job, fingerprint: fingerprint, force: chosen.force) else { return nil }
        if !chosen.force, let previous = try await ledger.archived(fingerprint: fingerprint), previous.id != job.id {
            try await fail(job, stage: .classify, reason: .duplicate(of: previous.id),
                           detail: "identical inputs and parameters were archived as \(previous.id); add \"force\": true to a sidecar to generate again")
            return nil
        }

        let sources = InputSources(image: chosen.image.map { .file(folder + "/inputs/" + $0) }, audio: chosen.audio.map { .file(folder + "/inputs/" + $0) })
        let prepared: PreparedInputs
        do {
            prepared = try await steps.preflight(fit: configuration.fit).prepare(
                sources, parameters: parameters, force: job.inputRetries > 0, outputDirectory: folder + "/preflight")
        } catch {
            try throwIfStageTimedOut()
            if DiskFull.matches(error) { try await hold(job, reason: .diskFull, detail: error.description, resume: .claimed); return nil }
            try await fail(job, stage: .preflight, reason: JobReason(rawValue: error.kind.rawValue),
                           detail: "\(URL(fileURLWithPath: error.path).lastPathComponent): \(error.reason)")
            return nil
        }
        try throwIfStageTimedOut()
        let estimate = steps.client.estimatedCost(parameters, audioSeconds: prepared.audioSeconds)
        let actions = prepared.reports.flatMap { $0.actions.map(\.action.rawValue) }
        let updated = try await ledger.update(job, event: event(job.id, .preflight, "ok", actions.isEmpty ? "no inputs to check" : actions.joined(separator: ", "))) {
            $0.state = .preflighted
            $0.provider = lane.name
            $0.mode = parameters.mode.rawValue
            $0.parameters = parameters
            $0.fingerprint = fingerprint
            $0.force = chosen.force
            $0.estimatedCost = estimate
            $0.preflight = prepared
        }
        if let note = chosen.orientationNote { log("\(job.name): \(note)") }
        for line in prepared.actionSummary { log("\(job.name): preflight \(line)") }
        log("\(job.name): \(parameters.mode.rawValue), \(parameters.model) \(parameters.resolution) \(parameters.durationText) @ \(parameters.fps) fps"
            + (estimate.map { String(format: ", estimated $%.2f", $0) } ?? ", estimated cost unknown"))
        return updated
    }

    // MARK: submit

    /// Checks holds and budgets, records the intent to submit, submits, and records the generation id at once.
    func submit(_ job: JobRecord) async throws -> JobRecord? {
        if job.submitStartedAt != nil && job.generationID == nil && steps.capabilities.idempotentSubmit {
            log("\(job.name): a submit was sent before the last stop; asking the server for it before sending it again")
        } else if job.submitStartedAt != nil && job.generationID == nil {
            if !configuration.resubmitUncertain {
                try await hold(job, reason: .uncertainSubmit, detail: "a submit was sent but its answer never arrived; it is not sent again unless the pipeline sets resubmit_uncertain: true", resume: .preflighted)
                return nil
            }
            log("\(job.name): re-sending a submit whose outcome was unknown (resubmit_uncertain: true)")
        }
        if providerMissing(job) { return try await providerLeft(job, submitted: false) }
        let lane = self.lane(of: job)
        let steps = lane.steps
        let generationSlots = lane.slots
        // A generation slot first (the account runs `generations` at once), then the one submit lane.
        do { try await generationSlots.acquire(for: job.id) } catch { return nil }
        await enterSubmit()
        defer { leaveSubmit() }
        if let moved = try await rerouteIfDown(job, lane: lane) {
            await generationSlots.release(job.id)
            return moved
        }
        if let stop = providersStopped[lane.name] {
            try await hold(job, reason: JobReason(rawValue: stop.reason), detail: stop.description, resume: .preflighted)
            return nil
        }
        guard let parameters = job.parameters else {
            try await fail(job, stage: .submit, reason: "corrupt-ledger", detail: "the job's parameters were never recorded")
            return nil
        }
        var job = job
        if job.estimatedCost == nil, let estimate = steps.client.estimatedCost(parameters, audioSeconds: job.preflight?.audioSeconds) {
            // The price became known since preflight (a catalog override filled it in): estimate again.
            job = try await ledger.update(job, event: event(job.id, .submit, "estimated", String(format: "$%.2f from the current catalog", estimate))) {
                $0.estimatedCost = estimate
            }
        }
        if let refusal = try await budgetRefusal(job) {
            try await hold(job, reason: refusal.reason, detail: refusal.detail, resume: .preflighted)
            return nil
        }
        reserved[job.id] = job.estimatedCost ?? 0
        defer { reserved[job.id] = nil }
        let ledger = self.ledger
        let jobID = job.id
        let startEvent = event(job.id, .submit, "started", lanes.count > 1 ? "to \(lane.name)" : nil)
        let provider = lane.name
        let sync = lane.api.sync
        let intent = Mutex<Date?>(nil)
        let outcome = await steps.submit(parameters, inputs: job.preflight ?? PreparedInputs(), sync: sync,
                                         syncPath: jobDirectory(job.id) + "/video.mp4", preferUpload: job.inputRetries > 0, beforeSend: {
            let now = Date()
            try await ledger.update(jobID, event: startEvent) {
                $0.submitStartedAt = now
                $0.provider = provider
                $0.providerAttempts = ($0.providerAttempts ?? []) + [provider]
            }
            intent.withLock { $0 = now }
        })
        if case .success = outcome { submittedAt[job.id] = clock.now() }
        // The closure above wrote the intent to the ledger: the record in hand follows, without reading the row back.
        if let sent = intent.withLock({ $0 }) {
            job.submitStartedAt = sent
            job.provider = provider
            job.providerAttempts = (job.providerAttempts ?? []) + [provider]
        }
        switch outcome {
        case .failure(let error):
            await generationSlots.release(job.id)
            if let moved = try await fallBack(job, from: lane, after: error) { return moved }
            return try await submitFailed(job, error)
        case .success(let submitted):
            let status = submitted.status
            if status.state.isTerminal || submitted.video != nil { await generationSlots.release(job.id) }
            if let video = submitted.video {
                let updated = try await ledger.update(job, event: event(job.id, .submit, "ok", "sync: \(video.size) bytes, sha256 \(video.sha256)")) {
                    $0.generationID = status.id
                    $0.cost = $0.estimatedCost
                    $0.videoSHA256 = video.sha256
                    $0.requestIDs += [status.requestID].compactMap { $0 }
                    $0.state = .downloaded
                }
                log("\(job.name): generated in one sync call (\(status.id))")
                return updated
            }
            let updated = try await ledger.update(job, event: event(job.id, .submit, "ok", "generation \(status.id) \(status.state.rawValue)")) {
                $0.generationID = status.id
                $0.cost = status.cost ?? $0.cost
                $0.response = status.responseBody
                $0.requestIDs += [status.requestID].compactMap { $0 }
                if status.state == .completed, let url = status.videoURL {
                    $0.videoURL = url
                    $0.state = .generated
                } else {
                    $0.state = .submitted
                }
            }
            log("\(job.name): submitted as \(status.id)")
            if status.state == .failed {
                try await fail(updated, stage: .generate, reason: "generation-failed", detail: status.failure ?? "no reason given")
                return nil
            }
            return updated
        }
    }

    /// Why the budget forbids submitting `job` now, if it does.
    private func budgetRefusal(_ job: JobRecord) async throws -> (reason: JobReason, detail: String)? {
        let budget = configuration.budget
        guard budget.perJob != nil || budget.total != nil else { return nil }
        guard let estimate = job.estimatedCost else {
            let model = job.parameters?.model ?? "the model"
            return (.priceUnknown, "a budget is set but the catalog has no price for \(model) at \(job.parameters?.resolution.description ?? "this size"); "
                        + "set it under models.\(model).prices in the file named by api.catalog, or remove the budget")
        }
        if let perJob = budget.perJob, estimate > perJob + 1e-9 {
            return (.budget, String(format: "estimated $%.2f is over the per-job budget of $%.2f", estimate, perJob))
        }
        if let total = budget.total {
            let committed = try await ledger.committedSpend() + reserved.filter { $0.key != job.id }.values.reduce(0, +)
            if committed + estimate > total + 1e-9 {
                return (.budget, String(format: "$%.2f committed plus this job's $%.2f is over the total budget of $%.2f", committed, estimate, total))
            }
        }
        return nil
    }

    /// Does what the dialect's error table says about a refused or broken submit.
    private func submitFailed(_ job: JobRecord, _ error: APIError) async throws -> JobRecord? {
        let steps = lane(of: job).steps
        switch steps.disposition(for: error, during: .submit) {
        case .stop:
            return nil
        case .hold(let reason, let detail, let stopsSubmitting):
            let reason = JobReason(rawValue: reason)
            if stopsSubmitting {
                stopSubmitting = error
                providersStopped[lane(of: job).name] = error
            }
            let current = reason == .uncertainSubmit ? job : try await clearSubmitIntent(job, error)
            try await hold(current, reason: reason, detail: detail, resume: .preflighted)
            return nil
        case .reencodeInputs(let reason, let detail):
            let current = try await clearSubmitIntent(job, error)
            if current.inputRetries == 0 {
                return try await ledger.update(current, event: event(job.id, .submit, "retry", "\(detail); re-encoding the inputs once")) {
                    $0.inputRetries += 1
                    $0.state = .claimed
                }
            }
            try await fail(current, stage: .submit, reason: JobReason(rawValue: reason), detail: detail)
            return nil
        case .resendThroughUpload(let reason, let detail):
            let current = try await clearSubmitIntent(job, error)
            if current.inputRetries == 0 {
                return try await ledger.update(current, event: event(job.id, .submit, "retry", "\(detail); sending the inputs through the upload endpoint once")) {
                    $0.inputRetries += 1
                }
            }
            try await fail(current, stage: .submit, reason: JobReason(rawValue: reason), detail: detail)
            return nil
        case .fail(let reason, let detail):
            let current = try await clearSubmitIntent(job, error)
            try await fail(current, stage: .submit, reason: JobReason(rawValue: reason), detail: detail)
            return nil
        }
    }

    /// The API answered "no": nothing was created, so the submit is no longer uncertain.
    private func clearSubmitIntent(_ job: JobRecord, _ error: APIError) async throws -> JobRecord {
        try await ledger.update(job, event: event(job.id, .submit, "refused", error.description)) { $0.submitStartedAt = nil }
    }

    // MARK: wait

    /// Polls a known generation id until it finishes (never submits again).
    func waitForResult(_ job: JobRecord) async throws -> JobRecord? {
        guard let status = job.generationStatus, let parameters = job.parameters else {
            try await fail(job, stage: .generate, reason: "corrupt-ledger", detail: "no generation id or parameters recorded")
            return nil
        }
        if providerMissing(job) { return try await providerLeft(job, submitted: true) }
        let lane = self.lane(of: job)
        let steps = lane.steps
        let generationSlots = lane.slots
        let key = "\(steps.client.dialect.name) \(parameters.model) \(parameters.resolution)"
        let observed = (try? await ledger.latencies(key: key)) ?? []
        let started = submittedAt.removeValue(forKey: job.id)
        let estimate = Mutex<Double?>(nil)
        let result = await steps.waitForResult(status, parameters: parameters, submittedAt: started, observed: observed,
                                               estimatedLatency: { seconds in estimate.withLock { $0 = seconds } })
        await generationSlots.release(job.id)
        if case .success = result, let seconds = estimate.withLock({ $0 }) { try await ledger.recordLatency(seconds, key: key) }
        let reportsCost = steps.capabilities.reportsCost
        switch result {
        case .success(let done):
            return try await ledger.update(job, event: event(job.id, .generate, "ok", "completed" + (done.cost.map { String(format: ", cost $%.2f", $0) } ?? ""))) {
                $0.state = .generated
                $0.videoURL = done.videoURL
                // A service that reports no cost (ltx-v2) is charged what its price table says: record the estimate.
                $0.cost = done.cost ?? $0.cost ?? (reportsCost ? nil : $0.estimatedCost)
                $0.response = done.responseBody
                $0.requestIDs += [done.requestID].compactMap { $0 }
            }
        case .failure(let error):
            if steps.capabilities.idempotentSubmit, let detail = Self.lostGeneration(error) {
                // A server that forgot the job (restarted) or stopped answering: it cost nothing, so it is queued
                // again (on a pool, on a server that answers) rather than lost.
                log("\(job.name): \(detail); queueing it again")
                return try await ledger.update(job, event: event(job.id, .generate, "requeue", detail)) {
                    $0.generationID = nil
                    $0.submitStartedAt = nil
                    $0.state = .preflighted
                }
            }
            switch steps.disposition(for: error, during: .poll) {
            case .stop:
                break
            case .fail(let reason, let detail):
                let text = error.tableStatus == 404 ? "generation \(status.id) is unknown to the API or expired; not resubmitted" : detail
                try await fail(job, stage: .generate, reason: JobReason(rawValue: reason), detail: text)
            case .hold(let reason, let detail, let stopsSubmitting):
                if stopsSubmitting {
                    stopSubmitting = error
                    providersStopped[lane.name] = error
                }
                try await hold(job, reason: JobReason(rawValue: reason), detail: detail, resume: .submitted)
            case .reencodeInputs(let reason, let detail), .resendThroughUpload(let reason, let detail):
                try await hold(job, reason: JobReason(rawValue: reason), detail: detail, resume: .submitted)
            }
            return nil
        }
    }

    /// Why a generation is lost to its server (forgotten, or the server stopped answering), when `error` says so.
    static func lostGeneration(_ error: APIError) -> String? {
        switch error {
        case .notFound(let detail): return detail
        case .unavailable(let detail): return "the server stopped answering (\(detail))"
        default: return nil
        }
    }

    // MARK: download

    /// Streams the result into the job's folder (resuming a partial file left by a crash).
    func download(_ job: JobRecord) async throws -> JobRecord? {
        guard let status = job.generationStatus, status.videoURL != nil else {
            try await fail(job, stage: .download, reason: "corrupt-ledger", detail: "no video URL recorded")
            return nil
        }
        if providerMissing(job) { return try await providerLeft(job, submitted: true) }
        let steps = lane(of: job).steps
        switch await steps.download(status, to: jobDirectory(job.id) + "/video.mp4", parameters: job.parameters) {
        case .success(let file):
            return try await ledger.update(job, event: event(job.id, .download, "ok", "\(file.size) bytes, sha256 \(file.sha256)" + (file.resumes > 0 ? ", resumed \(file.resumes)x" : ""))) {
                $0.state = .downloaded
                $0.videoSHA256 = file.sha256
            }
        case .failure(let error):
            switch steps.disposition(for: error, during: .download) {
            case .stop:
                return nil
            case .fail(let reason, let detail):
                try await fail(job, stage: .download, reason: JobReason(rawValue: reason), detail: detail)
                return nil
            default:
                break
            }
            try await hold(job, reason: DiskFull.matches(error) ? .diskFull : .downloadFailed, detail: error.description, resume: .generated)
            return nil
        }
    }

    // MARK: verify

    /// Proves the video is what was paid for; a failed check fails the job (never archived as good).
    func verify(_ job: JobRecord) async throws -> JobRecord? {
        guard let parameters = job.parameters else {
            try await fail(job, stage: .verify, reason: "corrupt-ledger", detail: "parameters were never recorded")
            return nil
        }
        let steps = lane(of: job).steps
        let video = jobDirectory(job.id) + "/video.mp4"
        let expected = steps.expectedVideo(parameters, inputs: job.preflight)
        let report: VerificationReport
        verifiedSheets[job.id] = nil
        do {
            // A deep verification decodes every frame: the contact sheet is made on that pass, for the archive step.
            let (verified, file) = try await BlockingWork.run { () throws(MediaError) -> (VerifiedVideo, VerifiedContactSheet.FileIdentity?) in
                let verified = try VideoVerifier.verifyMakingContactSheet(video, against: expected)
                return (verified, verified.contactSheet == nil ? nil : VerifiedContactSheet.FileIdentity.of(video))
            }
            report = verified.report
            if report.passed, let sheet = verified.contactSheet, let file {
                verifiedSheets[job.id] = VerifiedContactSheet(sheet: sheet, file: file)
            }
        } catch {
            try throwIfStageTimedOut()
            if error.kind == .notFound {
                return try await ledger.update(job, event: event(job.id, .verify, "missing", "video.mp4 is gone; downloading again")) { $0.state = .generated }
            }
            try await fail(job, stage: .verify, reason: .unreadableVideo, detail: error.description)
            return nil
        }
        try throwIfStageTimedOut()
        if !report.passed {
            let summary = report.failures.map { "\($0.name): expected \($0.expected), got \($0.actual)" }.joined(separator: "; ")
            let updated = try await ledger.update(job, event: event(job.id, .verify, "failed", summary)) { $0.verification = report }
            try await fail(updated, stage: .verify, reason: .verificationFailed, detail: summary)
            return nil
        }
        return try await ledger.update(job, event: event(job.id, .verify, "ok", "\(report.mode): \(report.checks.count) checks passed")) {
            $0.state = .verified
            $0.verification = report
        }
    }

    // MARK: archive

    /// Writes the bag (temporary name, fsync, rename), records it, then clears the job's working folder.
    func archive(_ job: JobRecord) async throws -> JobRecord? {
        var job = job
        let folder = jobDirectory(job.id)
        let delivery: ExactDelivery?
        switch await deliverExactly(job) {
        case .success(let done): delivery = done
        case .failure(let failure):
            try throwIfStageTimedOut()
            try await fail(job, stage: .verify, reason: "delivery-failed", detail: failure.detail)
            return nil
        }
        try throwIfStageTimedOut()
        if let delivery {
            job = try await ledger.update(job, event: event(job.id, .verify, "delivered",
                                                          "exact: \(delivery.rendered) cropped to \(delivery.delivered), sha256 \(delivery.deliveredSHA256)")) { _ in }
        }
        let events = try await ledger.events(for: job.id)
        let lane = self.lane(of: job)
        let steps = lane.steps
        var configuration = self.configuration
        configuration.api = lane.api
        let contents: BagContents
        do {
            let sheet = try await contactSheet(job: job.id, video: folder + "/video.mp4")
            contents = try await BagAssembler.contents(for: job, folder: folder, events: events, configuration: configuration,
                                                       dialect: steps.client.dialect.dialectName, base: steps.client.base,
                                                       sheet: sheet, delivery: delivery)
        } catch {
            try throwIfStageTimedOut()
            try await fail(job, stage: .archive, reason: "poster-failed", detail: "\(error)")
            return nil
        }
        try throwIfStageTimedOut()
        let archiveRoot = configuration.archive
        let bag: Bag
        do {
            bag = try await BlockingWork.run { () throws(BagError) -> Bag in try BagWriter.write(contents, archiveRoot: archiveRoot) }
        } catch {
            try await hold(job, reason: DiskFull.matches(error) ? .diskFull : .archiveFailed, detail: "\(error)", resume: .verified)
            return nil
        }
        let updated = try await ledger.update(job, event: event(job.id, .archive, "ok", bag.path)) {
            $0.state = .archived
            $0.bag = bag.path
            $0.reason = nil
            $0.detail = nil
        }
        summary.archived += 1
        await removeWorkingFolder(folder)
        log("\(job.name): archived in \(bag.path)")
        notifier?.post(JobNotification(.archived, job: updated))
        await archiveIndexer?.request()
        return updated
    }

    /// The job's contact sheet: the one its deep verification made when the video is still the file verified
    /// (not after a restart, not after an exact delivery replaced it), else made now by decoding the video.
    func contactSheet(job id: String, video: String) async throws(MediaError) -> ContactSheet {
        let kept = verifiedSheets.removeValue(forKey: id)
        if let kept {
            let current = await BlockingWork.run { () -> VerifiedContactSheet.FileIdentity? in VerifiedContactSheet.FileIdentity.of(video) }
            if current == kept.file { return kept.sheet }
        }
        let source = contactSheetSource
        return try await BlockingWork.run { () throws(MediaError) -> ContactSheet in try source(video) }
    }

    // MARK: fail and hold

    /// Marks the job failed (write-ahead), then files its files in failed/NAME/ with error.json.
    func fail(_ job: JobRecord, stage: JobStage, reason: JobReason, detail: String) async throws {
        verifiedSheets[job.id] = nil
        let failed = try await ledger.update(job, event: event(job.id, stage, "failed", "\(reason): \(detail)")) {
            $0.state = .failed
            $0.reason = reason
            $0.detail = detail
            $0.failedStage = stage
        }
        summary.failed += 1
        log("\(job.name): failed at \(stage.rawValue): \(reason): \(DisplayText.escaped(detail))")
        let filed = try await fileFailure(failed)
        notifier?.post(JobNotification(.failed, job: filed))
    }

    /// Moves a failed job's inputs (and any video and report) into failed/NAME/ with error.json.
    @discardableResult
    func fileFailure(_ job: JobRecord) async throws -> JobRecord {
        let folder = jobDirectory(job.id)
        var files: [(source: String, name: String)] = job.inputs.map { (folder + "/inputs/" + $0.name, $0.name) }
        files.append((folder + "/video.mp4", "video.mp4"))
        files.append((folder + "/rendered.mp4", "rendered.mp4"))
        let verification = job.verification.flatMap { try? BagAssembler.prettyEncoder().encode($0) }
        let note = FailureNote(
            job: job.id, stage: job.failedStage?.rawValue ?? "unknown", reason: job.reason?.rawValue ?? "unknown",
            detail: job.detail ?? "", time: ISO8601DateFormatter().string(from: job.updatedAt), generationID: job.generationID
        )
        let failedRoot = configuration.failed
        let name = job.name
        let toFile = files
        let filed = try await BlockingWork.run { () throws(DurableFileError) -> String in
            if let verification { try DurableFile.write(verification, to: folder + "/verification.json") }
            let all = toFile + (verification == nil ? [] : [(folder + "/verification.json", "verification.json")])
            return try FailedFolder.file(all, name: name, note: note, root: failedRoot)
        }
        let updated = try await ledger.update(job, event: event(job.id, .fail, "filed", filed)) { $0.failedFolder = filed }
        await removeWorkingFolder(folder)
        return updated
    }

    /// Holds the job: it waits on the account (or on the user) and resumes at `resume` in a later run.
    func hold(_ job: JobRecord, reason: JobReason, detail: String, resume: JobState) async throws {
        let held = try await ledger.update(job, event: event(job.id, .hold, reason.rawValue, detail)) {
            $0.state = .held
            $0.reason = reason
            $0.detail = detail
            $0.resumeState = resume
        }
        log("\(job.name): held (\(reason)): \(DisplayText.escaped(detail))")
        notifier?.post(JobNotification(.held, job: held))
    }

    /// Removes a job's working folder off the actor.
    func removeWorkingFolder(_ folder: String) async {
        await BlockingWork.run { try? FileManager.default.removeItem(atPath: folder) }
    }
}

/// The duplicate-detection key of a job.
enum Fingerprint {
    static func make(inputs: [String], parameters: GenerationParameters) -> String {
        let text = inputs.sorted().joined(separator: "\n") + "\n" + (LedgerJSON.text(parameters) ?? "{}")
        return FileDigest(of: text).sha256
    }
}
