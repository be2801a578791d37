import Foundation
import LTXAPI
import LTXMedia

/// A file a job sends to the API, after preflight.
struct PreparedFile: Sendable, Codable, Equatable {
    var path: String
    var contentType: String
}

/// What preflight decided for a job, kept in the ledger so a restart sends the same files.
struct PreflightRecord: Sendable, Codable, Equatable {
    var image: PreparedFile?
    var audio: PreparedFile?
    var reports: [PreflightReport]
}

extension PipelineRunner {
    // MARK: claim

    /// Moves the group's files out of the drop folder into the job's folder (rename; copy + verify across
    /// filesystems). Symlinks are moved as links and never followed.
    func claim(_ job: JobRecord) async throws -> Bool {
        let inputsFolder = jobDirectory(job.id) + "/inputs"
        let drop = configuration.drop
        let inputs = job.inputList
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
                        guard rename(source, target) == 0 else { throw FileMover.Failure(description: "\(source): cannot claim (\(String(cString: strerror(errno))))") }
                    } else {
                        try FileMover.move(source, to: target)
                    }
                }
                guard lstat(target, &info) == 0 else { result.append(input); continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    input.role = .unknown
                } else {
                    let digest = try FileMover.sha256(of: target)
                    input.sha256 = digest.digest
                    input.size = digest.size
                }
                result.append(input)
            }
            return result
        }
        let missing = claimed.filter { $0.sha256 == nil && $0.role != .unknown }.map(\.name)
        try await ledger.update(job.id, event: event(job.id, "claim", missing.isEmpty ? "ok" : "partial",
                                                     missing.isEmpty ? "moved into \(inputsFolder)" : "vanished before the claim: \(missing.joined(separator: ", "))")) {
            $0.state = .claimed
            $0.inputs = JobRecord.encode(claimed) ?? $0.inputs
        }
        if claimed.allSatisfy({ $0.sha256 == nil && $0.role != .unknown }) {
            try await fail(job.id, stage: "claim", reason: "vanished", detail: "the dropped files disappeared before they could be claimed")
            return false
        }
        return true
    }

    // MARK: preflight

    /// Classifies the group by the drop conventions, refuses duplicates, and preflights the inputs.
    func preflight(_ job: JobRecord) async throws -> Bool {
        let folder = jobDirectory(job.id)
        let inputs = job.inputList.filter { $0.sha256 != nil || $0.role == .unknown }
        let spec = JobSpec.make(files: inputs, readText: { name in
            var info = stat()
            let path = folder + "/inputs/" + name
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 1_000_000 || !name.hasSuffix(".json") else { return nil }
            return FileManager.default.contents(atPath: path)
        }, configuration: configuration, catalog: client.dialect.catalog)
        let chosen: JobSpec
        switch spec {
        case .failure(let rejection):
            try await fail(job.id, stage: "classify", reason: rejection.reason, detail: rejection.detail)
            return false
        case .success(let value): chosen = value
        }
        let parametersJSON = JobRecord.encode(chosen.parameters) ?? "{}"
        let fingerprint = Fingerprint.make(inputs: inputs.compactMap(\.sha256), parameters: parametersJSON)
        if !chosen.force, let previous = try await ledger.archived(fingerprint: fingerprint), previous.id != job.id {
            try await fail(job.id, stage: "classify", reason: "duplicate-of \(previous.id)",
                           detail: "identical inputs and parameters were archived as \(previous.id); add \"force\": true to a sidecar to generate again")
            return false
        }

        let force = job.inputRetries > 0
        let parameters = chosen.parameters
        let catalog = client.dialect.catalog
        let fit = configuration.fit
        let preflightFolder = folder + "/preflight"
        let record: PreflightRecord
        do {
            record = try await BlockingWork.run { () throws(MediaError) -> PreflightRecord in
                var record = PreflightRecord(image: nil, audio: nil, reports: [])
                if let image = chosen.image {
                    let target = PreflightTargets.image(parameters, catalog: catalog, fit: fit, force: force)
                    let report = try ImagePreflight.run(folder + "/inputs/" + image, target: target, outputDirectory: preflightFolder)
                    record.reports.append(report)
                    if let output = report.output { record.image = PreparedFile(path: output, contentType: report.outputContentType ?? "image/jpeg") }
                }
                if let audio = chosen.audio {
                    let target = PreflightTargets.audio(parameters, catalog: catalog, force: force)
                    let report = try AudioPreflight.run(folder + "/inputs/" + audio, target: target, outputDirectory: preflightFolder)
                    record.reports.append(report)
                    if let output = report.output { record.audio = PreparedFile(path: output, contentType: report.outputContentType ?? "audio/mpeg") }
                }
                return record
            }
        } catch {
            try await fail(job.id, stage: "preflight", reason: error.kind.rawValue, detail: "\(URL(fileURLWithPath: error.path).lastPathComponent): \(error.reason)")
            return false
        }
        let estimate = client.estimatedCost(parameters)
        let actions = record.reports.flatMap { $0.actions.map(\.action.rawValue) }
        try await ledger.update(job.id, event: event(job.id, "preflight", "ok", actions.isEmpty ? "no inputs to check" : actions.joined(separator: ", "))) {
            $0.state = .preflighted
            $0.mode = parameters.mode.rawValue
            $0.parameters = parametersJSON
            $0.fingerprint = fingerprint
            $0.force = chosen.force
            $0.estimatedCost = estimate
            $0.preflight = JobRecord.encode(record)
        }
        log("\(job.name): \(parameters.mode.rawValue), \(parameters.model) \(parameters.resolution) \(parameters.duration) s @ \(parameters.fps) fps" + (estimate.map { String(format: ", estimated $%.2f", $0) } ?? ""))
        return true
    }

    // MARK: submit

    /// Checks holds and budgets, records the intent to submit, submits, and records the generation id at once.
    func submit(_ job: JobRecord) async throws -> Bool {
        if job.submitStartedAt != nil && job.generationID == nil {
            if !configuration.resubmitUncertain {
                try await hold(job.id, reason: "uncertain-submit", detail: "a submit was sent but its answer never arrived; it is not sent again unless the pipeline sets resubmit_uncertain: true", resume: .preflighted)
                return false
            }
            log("\(job.name): re-sending a submit whose outcome was unknown (resubmit_uncertain: true)")
        }
        await enterSubmit()
        defer { leaveSubmit() }
        if let stop = stopSubmitting {
            try await hold(job.id, reason: stop.reason, detail: stop.description, resume: .preflighted)
            return false
        }
        guard let parameters = JobRecord.decode(GenerationParameters.self, job.parameters) else {
            try await fail(job.id, stage: "submit", reason: "corrupt-ledger", detail: "the job's parameters cannot be read back")
            return false
        }
        let estimate = job.estimatedCost ?? 0
        if let perJob = configuration.budget.perJob, estimate > perJob + 1e-9 {
            try await hold(job.id, reason: "budget", detail: String(format: "estimated $%.2f is over the per-job budget of $%.2f", estimate, perJob), resume: .preflighted)
            return false
        }
        if let total = configuration.budget.total {
            let committed = try await ledger.committedSpend() + reserved.filter { $0.key != job.id }.values.reduce(0, +)
            if committed + estimate > total + 1e-9 {
                try await hold(job.id, reason: "budget", detail: String(format: "$%.2f committed plus this job's $%.2f is over the total budget of $%.2f", committed, estimate, total), resume: .preflighted)
                return false
            }
        }
        reserved[job.id] = estimate
        defer { reserved[job.id] = nil }
        let record = JobRecord.decode(PreflightRecord.self, job.preflight)
        let inputs = GenerationInputs(
            image: record?.image.map { .file(path: $0.path, contentType: $0.contentType) },
            audio: record?.audio.map { .file(path: $0.path, contentType: $0.contentType) }
        )
        let ledger = self.ledger
        let startEvent = event(job.id, "submit", "started")
        if configuration.api.sync {
            return try await submitSync(job, parameters: parameters, inputs: inputs, startEvent: startEvent)
        }
        let outcome: Result<GenerationStatus, APIError>
        do {
            outcome = .success(try await client.submit(parameters, inputs: inputs, beforeSend: {
                try await ledger.update(job.id, event: startEvent) { $0.submitStartedAt = Date() }
            }))
        } catch { outcome = .failure(error) }
        switch outcome {
        case .failure(let error):
            return try await submitFailed(job, error)
        case .success(let status):
            try await ledger.update(job.id, event: event(job.id, "submit", "ok", "generation \(status.id) \(status.state.rawValue)")) {
                $0.generationID = status.id
                $0.cost = status.cost ?? $0.cost
                $0.response = status.responseBody
                $0.requestIDs = JobRecord.encode((JobRecord.decode([String].self, $0.requestIDs) ?? []) + [status.requestID].compactMap { $0 }) ?? $0.requestIDs
                if status.state == .completed, let url = status.videoURL {
                    $0.videoURL = url
                    $0.state = .generated
                } else {
                    $0.state = .submitted
                }
            }
            log("\(job.name): submitted as \(status.id)")
            if status.state == .failed {
                try await fail(job.id, stage: "generate", reason: "generation-failed", detail: status.failure ?? "no reason given")
                return false
            }
            return true
        }
    }

    /// The sync form: one request whose body is the video, streamed straight into the job's folder.
    private func submitSync(_ job: JobRecord, parameters: GenerationParameters, inputs: GenerationInputs, startEvent: JobEvent) async throws -> Bool {
        let ledger = self.ledger
        let path = jobDirectory(job.id) + "/video.mp4"
        let outcome: Result<(file: DownloadedFile, requestID: String?), APIError>
        do {
            outcome = .success(try await client.generateSync(parameters, inputs: inputs, to: path, beforeSend: {
                try await ledger.update(job.id, event: startEvent) { $0.submitStartedAt = Date() }
            }))
        } catch { outcome = .failure(error) }
        switch outcome {
        case .failure(let error):
            return try await submitFailed(job, error)
        case .success(let result):
            let id = "sync-" + (result.requestID ?? UUID().uuidString)
            try await ledger.update(job.id, event: event(job.id, "submit", "ok", "sync: \(result.file.size) bytes, sha256 \(result.file.sha256)")) {
                $0.generationID = id
                $0.cost = $0.estimatedCost
                $0.videoSHA256 = result.file.sha256
                $0.requestIDs = JobRecord.encode([result.requestID].compactMap { $0 }) ?? $0.requestIDs
                $0.state = .downloaded
            }
            log("\(job.name): generated in one sync call (\(id))")
            return true
        }
    }

    private func submitFailed(_ job: JobRecord, _ error: APIError) async throws -> Bool {
        switch error {
        case .uncertainSubmit, .malformedResponse:
            try await hold(job.id, reason: "uncertain-submit", detail: error.description, resume: .preflighted)
        case .unauthorized, .insufficientCredits:
            stopSubmitting = error
            try await clearSubmitIntent(job.id, error)
            try await hold(job.id, reason: error.reason, detail: error.description, resume: .preflighted)
        case .fileTooLarge, .unsupportedFile:
            try await clearSubmitIntent(job.id, error)
            if job.inputRetries == 0 {
                try await ledger.update(job.id, event: event(job.id, "submit", "retry", "\(error.description); re-encoding the inputs once")) {
                    $0.inputRetries += 1
                    $0.state = .claimed
                }
                return true
            }
            try await fail(job.id, stage: "submit", reason: error.reason, detail: error.description)
        case .unavailable:
            try await clearSubmitIntent(job.id, error)
            try await hold(job.id, reason: error.reason, detail: error.description, resume: .preflighted)
        case .cancelled:
            return false
        default:
            try await clearSubmitIntent(job.id, error)
            try await fail(job.id, stage: "submit", reason: error.reason, detail: error.description)
        }
        return false
    }

    /// The API answered "no": nothing was created, so the submit is no longer uncertain.
    private func clearSubmitIntent(_ id: String, _ error: APIError) async throws {
        try await ledger.update(id, event: event(id, "submit", "refused", error.description)) { $0.submitStartedAt = nil }
    }

    // MARK: wait

    /// Polls a known generation id until it finishes (never submits again).
    func waitForResult(_ job: JobRecord) async throws -> Bool {
        guard let id = job.generationID, let parameters = JobRecord.decode(GenerationParameters.self, job.parameters) else {
            try await fail(job.id, stage: "generate", reason: "corrupt-ledger", detail: "no generation id or parameters recorded")
            return false
        }
        let outcome: Result<GenerationStatus, APIError>
        do { outcome = .success(try await client.waitForCompletion(GenerationStatus(id: id, state: .processing), parameters: parameters)) } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let done):
            try await ledger.update(job.id, event: event(job.id, "generate", "ok", "completed" + (done.cost.map { String(format: ", cost $%.2f", $0) } ?? ""))) {
                $0.state = .generated
                $0.videoURL = done.videoURL
                $0.cost = done.cost ?? $0.cost
                $0.response = done.responseBody
                if let rid = done.requestID {
                    $0.requestIDs = JobRecord.encode((JobRecord.decode([String].self, $0.requestIDs) ?? []) + [rid]) ?? $0.requestIDs
                }
            }
            return true
        case .failure(let error):
            switch error {
            case .generationFailed(let message):
                try await fail(job.id, stage: "generate", reason: error.reason, detail: message)
            case .notFound:
                try await fail(job.id, stage: "generate", reason: "expired", detail: "generation \(id) is unknown to the API or expired; not resubmitted")
            case .cancelled:
                return false
            case .unauthorized:
                stopSubmitting = error
                try await hold(job.id, reason: error.reason, detail: error.description, resume: .submitted)
            default:
                try await hold(job.id, reason: error.reason, detail: error.description, resume: .submitted)
            }
            return false
        }
    }

    // MARK: download

    /// Streams the result into the job's folder (resuming a partial file left by a crash).
    func download(_ job: JobRecord) async throws -> Bool {
        guard let url = job.videoURL, let id = job.generationID else {
            try await fail(job.id, stage: "download", reason: "corrupt-ledger", detail: "no video URL recorded")
            return false
        }
        let path = jobDirectory(job.id) + "/video.mp4"
        let outcome: Result<DownloadedFile, APIError>
        do { outcome = .success(try await client.download(GenerationStatus(id: id, state: .completed, videoURL: url), to: path)) } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let file):
            try await ledger.update(job.id, event: event(job.id, "download", "ok", "\(file.size) bytes, sha256 \(file.sha256)" + (file.resumes > 0 ? ", resumed \(file.resumes)x" : ""))) {
                $0.state = .downloaded
                $0.videoSHA256 = file.sha256
            }
            return true
        case .failure(let error):
            if case .cancelled = error { return false }
            try await hold(job.id, reason: "download-failed", detail: error.description, resume: .generated)
            return false
        }
    }

    // MARK: verify

    /// Proves the video is what was paid for; a failed check fails the job (never archived as good).
    func verify(_ job: JobRecord) async throws -> Bool {
        guard let parameters = JobRecord.decode(GenerationParameters.self, job.parameters) else {
            try await fail(job.id, stage: "verify", reason: "corrupt-ledger", detail: "parameters cannot be read back")
            return false
        }
        let path = jobDirectory(job.id) + "/video.mp4"
        let audioSeconds = JobRecord.decode(PreflightRecord.self, job.preflight)?.reports.first { $0.kind == "audio" }?.outputDuration
        let request = PreflightTargets.expectedVideo(
            parameters, catalog: client.dialect.catalog, audioSeconds: audioSeconds,
            tolerance: configuration.verify.durationTolerance, deep: configuration.verify.deep
        )
        let report: VerificationReport
        do {
            report = try await BlockingWork.run { () throws(MediaError) -> VerificationReport in try VideoVerifier.verify(path, against: request) }
        } catch {
            if error.kind == .notFound {
                try await ledger.update(job.id, event: event(job.id, "verify", "missing", "video.mp4 is gone; downloading again")) { $0.state = .generated }
                return true
            }
            try await fail(job.id, stage: "verify", reason: "unreadable-video", detail: error.description)
            return false
        }
        let json = JobRecord.encode(report)
        if !report.passed {
            let summary = report.failures.map { "\($0.name): expected \($0.expected), got \($0.actual)" }.joined(separator: "; ")
            try await ledger.update(job.id, event: event(job.id, "verify", "failed", summary)) { $0.verification = json }
            try await fail(job.id, stage: "verify", reason: "verification-failed", detail: summary)
            return false
        }
        try await ledger.update(job.id, event: event(job.id, "verify", "ok", "\(report.mode): \(report.checks.count) checks passed")) {
            $0.state = .verified
            $0.verification = json
        }
        return true
    }

    // MARK: archive

    /// Writes the bag (temporary name, fsync, rename), records it, then clears the job's working folder.
    func archive(_ job: JobRecord) async throws -> Bool {
        let folder = jobDirectory(job.id)
        let events = try await ledger.events(for: job.id)
        let contents: BagContents
        do {
            contents = try await BagAssembler.contents(for: job, folder: folder, events: events, configuration: configuration, dialect: client.dialect.name, base: client.base)
        } catch {
            try await fail(job.id, stage: "archive", reason: "poster-failed", detail: "\(error)")
            return false
        }
        let archiveRoot = configuration.archive
        let bag: Bag
        do {
            bag = try await BlockingWork.run { () throws(BagError) -> Bag in try BagWriter.write(contents, archiveRoot: archiveRoot) }
        } catch {
            try await hold(job.id, reason: "archive-failed", detail: "\(error)", resume: .verified)
            return false
        }
        try await ledger.update(job.id, event: event(job.id, "archive", "ok", bag.path)) {
            $0.state = .archived
            $0.bag = bag.path
            $0.reason = nil
            $0.detail = nil
        }
        summary.archived += 1
        try? FileManager.default.removeItem(atPath: folder)
        log("\(job.name): archived in \(bag.path)")
        return false
    }

    // MARK: fail and hold

    /// Marks the job failed (write-ahead), then files its files in failed/NAME/ with error.json.
    func fail(_ id: String, stage: String, reason: String, detail: String) async throws {
        let job = try await ledger.update(id, event: event(id, stage, "failed", "\(reason): \(detail)")) {
            $0.state = .failed
            $0.reason = reason
            $0.detail = detail
            $0.failedStage = stage
        }
        summary.failed += 1
        log("\(job.name): failed at \(stage): \(reason): \(detail)")
        try await fileFailure(job)
    }

    /// Moves a failed job's inputs (and any video and report) into failed/NAME/ with error.json.
    func fileFailure(_ job: JobRecord) async throws {
        let folder = jobDirectory(job.id)
        var files: [(source: String, name: String)] = job.inputList.map { (folder + "/inputs/" + $0.name, $0.name) }
        files.append((folder + "/video.mp4", "video.mp4"))
        if let verification = job.verification {
            try? FileMover.write(Data(verification.utf8), to: folder + "/verification.json")
            files.append((folder + "/verification.json", "verification.json"))
        }
        let note = FailureNote(
            job: job.id, stage: job.failedStage ?? "unknown", reason: job.reason ?? "unknown",
            detail: job.detail ?? "", time: ISO8601DateFormatter().string(from: job.updatedAt), generationID: job.generationID
        )
        let failedRoot = configuration.failed
        let name = job.name
        let toFile = files
        let filed = try await BlockingWork.run { () throws(FileMover.Failure) -> String in
            try FailedFolder.file(toFile, name: name, note: note, root: failedRoot)
        }
        try await ledger.update(job.id, event: event(job.id, "fail", "filed", filed)) { $0.failedFolder = filed }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Holds the job: it waits on the account (or on the user) and resumes at `resume` in a later run.
    func hold(_ id: String, reason: String, detail: String, resume: JobState) async throws {
        let job = try await ledger.update(id, event: event(id, "hold", reason, detail)) {
            $0.state = .held
            $0.reason = reason
            $0.detail = detail
            $0.resumeState = resume
        }
        log("\(job.name): held (\(reason)): \(detail)")
    }
}

/// The duplicate-detection key of a job.
enum Fingerprint {
    static func make(inputs: [String], parameters: String) -> String {
        let text = inputs.sorted().joined(separator: "\n") + "\n" + parameters
        return FileMover.sha256(text)
    }
}
