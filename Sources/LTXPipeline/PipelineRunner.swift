import LTXCore
import Foundation
import LTXAPI
import LTXGeneration
import LTXMedia

/// How a run ended.
public struct RunSummary: Sendable, Codable, Equatable {
    /// Jobs archived in this run.
    public var archived: Int
    /// Jobs that failed in this run.
    public var failed: Int
    /// Jobs left held after this run.
    public var held: Int
    /// The run was stopped (SIGINT/SIGTERM) before it ran out of work.
    public var stopped: Bool = false
    /// Jobs left unfinished that the next run picks up again (held ones included, except an uncertain submit the
    /// pipeline does not re-send).
    public var resumable: Int = 0

    /// A summary of counts.
    public init(archived: Int, failed: Int, held: Int, stopped: Bool = false, resumable: Int = 0) {
        self.archived = archived
        self.failed = failed
        self.held = held
        self.stopped = stopped
        self.resumable = resumable
    }
}

/// Runs the drop-folder pipeline: watches, claims, and drives every job through its stages, writing each
/// transition to the ledger before the side effect it allows. One instance per pipeline per process.
public actor PipelineRunner {
    /// The pipeline.
    public let configuration: PipelineConfiguration
    let ledger: Ledger
    /// The generation steps (client, catalog, preflight, verification), shared with `ltxpipe generate`.
    let steps: GenerationSteps
    let clock: PipelineClock
    let log: @Sendable (String) -> Void
    /// Jobs at once in the stages before their submit (claim, preflight, waiting for a generation slot): those are
    /// bounded, so a thousand drops cost a thousand ledger rows and a few tasks. Jobs whose generation is running
    /// are never bounded here: the account's limits (`generations`, the rate governor) are what bound them.
    let maxJobsBeforeSubmit: Int
    /// The shortest real wait between two looks at the drop folder while jobs run: inotify still wakes the runner at
    /// once on a change, but a scaled clock never makes the loop spin (each look reads the ledger and the folder).
    static let shortestIdleLook: Double = 0.2
    /// The account's concurrent generations.
    let generationSlots: GenerationSlots
    /// When each generation of this run was submitted (nominal seconds), to learn the endpoint's latencies.
    var submittedAt: [String: Double] = [:]
    /// Jobs currently holding a before-submit place.
    var beforeSubmit: Set<String> = []
    /// Set after a 401 or 402: no job is submitted for the rest of the run.
    var stopSubmitting: APIError?
    /// Budget reserved by jobs between their check and their submit.
    var reserved: [String: Double] = [:]
    var summary = RunSummary(archived: 0, failed: 0, held: 0)
    var active: Set<String> = []
    var running = 0
    /// Submits go out one at a time: a crash can then leave at most one submit uncertain, and a bad key or an
    /// empty account costs one request, not one per job. (The per-minute window bounds submits anyway; polls and
    /// downloads stay concurrent.)
    var submitInFlight = false
    var submitWaiters: [CheckedContinuation<Void, Never>] = []
    var slotWaiters: [CheckedContinuation<Void, Never>] = []
    var watching = false
    var watchWaiters: [CheckedContinuation<Void, Never>] = []
    /// The job preflighting or generating each fingerprint (`PipelineRunner+Duplicates`).
    var fingerprintsInFlight: [String: String] = [:]
    /// Jobs this run could not finish although they are not held (`PipelineRunner+Accounting`).
    var leftUnfinished: Set<String> = []
    /// Claims that failed (a full disk), retried while the run goes on (`PipelineRunner+Accounting`).
    var parkedClaims: [String: (group: DropGroup, retryAt: Double)] = [:]
    /// Posts job events to the pipeline's webhook during `run` (`notify`), never waited on by a job.
    var notifier: WebhookNotifier?
    /// Rewrites the archive's index.html as bags land (`archive_index`).
    var archiveIndexer: ArchiveIndexRefresher?
    /// Contact sheets made by this run's deep verifications, by job, until the job's archive step takes them.
    var verifiedSheets: [String: VerifiedContactSheet] = [:]
    /// Makes a contact sheet by decoding the video at a path: what the archive step does when verification made none.
    var contactSheetSource: @Sendable (String) throws(MediaError) -> ContactSheet = { path throws(MediaError) in try ContactSheet.make(fromVideo: path) }
    /// Replaces how the archive step makes a contact sheet when verification made none (tests count the decodes).
    func useContactSheetSource(_ source: @escaping @Sendable (String) throws(MediaError) -> ContactSheet) { contactSheetSource = source }
    /// Nominal seconds a run's end waits for the webhook queue to drain.
    static let notifyDrainSeconds: Double = 30

    /// Every provider of the pipeline, in the file's order (`PipelineRunner+Routing`); the first is `steps`.
    let lanes: [ProviderLane]
    /// Providers that refused a submit after their retries (5xx, saturated), and the nominal time until which
    /// routing passes them by (`api.fallback`).
    var providersDown: [String: Double] = [:]
    /// Providers that refused the key or the account (401, 402) in this run: no job is submitted to them again.
    var providersStopped: [String: APIError] = [:]

    /// A runner for `configuration`, talking to the API through `client`.
    public init(configuration: PipelineConfiguration, client: GenerationClient, ledger: Ledger, clock: PipelineClock,
                maxConcurrentJobs: Int? = nil, log: @escaping @Sendable (String) -> Void) {
        self.init(configuration: configuration, client: client, moreClients: [], ledger: ledger, clock: clock, maxConcurrentJobs: maxConcurrentJobs, log: log)
    }

    /// A runner for `configuration`: `client` talks to `configuration.api`, and each of `moreClients` to the provider
    /// at the same place in `configuration.moreProviders` (providers without a client are left out).
    public init(configuration: PipelineConfiguration, client: GenerationClient, moreClients: [GenerationClient], ledger: Ledger,
                clock: PipelineClock, maxConcurrentJobs: Int? = nil, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        let verification = configuration.verify.settings
        let first = ProviderLane(api: configuration.api, steps: GenerationSteps(client: client, verification: verification),
                                 slots: GenerationSlots(limit: configuration.api.limits.generations))
        let lanes = [first] + zip(configuration.moreProviders, moreClients).map { api, client in
            ProviderLane(api: api, steps: GenerationSteps(client: client, verification: verification), slots: GenerationSlots(limit: api.limits.generations))
        }
        self.lanes = lanes
        self.steps = first.steps
        self.ledger = ledger
        self.clock = clock
        self.log = log
        // Per provider: a job waiting for one provider's generation slot must not keep another provider's jobs from preflight.
        self.maxJobsBeforeSubmit = maxConcurrentJobs ?? max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) * lanes.count
        self.generationSlots = first.slots
    }

    /// The folder holding a job's claimed inputs, preflighted copies and video.
    nonisolated func jobDirectory(_ id: String) -> String { configuration.state + "/jobs/" + id }

    /// Resumes unfinished jobs, then takes settled groups from the drop folder. With `once`, returns when the
    /// drop folder holds nothing more to take and every job has finished or is held; otherwise runs until cancelled.
    public func run(once: Bool) async throws -> RunSummary {
        let folders = [configuration.drop, configuration.archive, configuration.failed, configuration.state + "/jobs"]
        try await BlockingWork.run { () throws in
            for folder in folders { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        let watcher = DropWatcher(folder: configuration.drop, settleSeconds: configuration.settleSeconds, clock: clock)
        let notifier = DropNotifier(folder: configuration.drop)
        let webhook = configuration.notify.map { WebhookNotifier(settings: $0, clock: clock, log: log) }
        self.notifier = webhook
        let indexer = configuration.archiveIndex ? ArchiveIndexRefresher(root: configuration.archive, log: log) : nil
        archiveIndexer = indexer
        await indexer?.request()
        defer { archiveIndexer = nil }
        do {
            let pending = try await resumable(watcher: watcher)
            try await loop(pending, watcher: watcher, notifier: notifier, once: once)
        } catch where Task.isCancelled {
            // A stage or a scan interrupted by the stop: the ledger has every committed step, the next run resumes.
        } catch {
            await indexer?.finish()
            await webhook?.finish(grace: Self.notifyDrainSeconds)
            throw error
        }
        // The counts are read outside this (possibly cancelled) task: a stop must not turn into a ledger error.
        let stopped = Task.isCancelled
        let final = Task { try await self.finalSummary(stopped: stopped) }
        let result = await final.result
        await indexer?.finish()
        await webhook?.finish(grace: Self.notifyDrainSeconds)
        self.notifier = nil
        return try result.get()
    }

    /// The summary a run ends with: held jobs counted from the ledger; after a stop, what the next run resumes.
    private func finalSummary(stopped: Bool) async throws -> RunSummary {
        let unfinished = try await ledger.unfinished()
        let leftOver = await unfinishedCount()
        summary.held = unfinished.filter { $0.state == .held }.count + leftOver
        if stopped {
            summary.stopped = true
            summary.resumable = unfinished.filter { $0.state != .held || $0.reason != .uncertainSubmit || configuration.resubmitUncertain }.count
        }
        return summary
    }

    private func loop(_ resumed: [PendingJob], watcher: DropWatcher, notifier: DropNotifier?, once: Bool) async throws {
        var pending = resumed
        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isCancelled {
                while let next = pending.first, !next.beforeSubmit || beforeSubmit.count < maxJobsBeforeSubmit {
                    pending.removeFirst()
                    running += 1
                    if next.beforeSubmit { beforeSubmit.insert(next.id) }
                    group.addTask {
                        await JobLogContext.$jobID.withValue(next.id) {
                            await self.process(next.id)
                            await self.jobFinished(next.id)
                        }
                    }
                }
                if !pending.isEmpty {
                    await waitForSlot()
                    continue
                }
                pending += await retryParkedClaims(watcher).map { PendingJob(id: $0, beforeSubmit: true) }
                for dropped in try await BlockingWork.run({ () throws in try watcher.scan() }) {
                    let job = try await detect(dropped)
                    guard await claimDetected(job, group: dropped, watcher: watcher) else { continue }
                    watcher.forget(dropped)
                    pending.append(PendingJob(id: job.id, beforeSubmit: true))
                }
                await fileStrays(watcher)
                if !pending.isEmpty { continue }
                if once, running == 0, try await !BlockingWork.run({ () throws in try watcher.hasUnaccountedEntries() }) { break }
                // Look again after the poll interval, sooner while a group is settling, or at once when inotify
                // reports a change in the drop folder.
                let wait = watcher.waitingToSettle ? min(configuration.pollSeconds, max(0.05, configuration.settleSeconds / 4)) : configuration.pollSeconds
                setWatching(true)
                if let notifier {
                    // In short slices, so a cancellation (SIGINT/SIGTERM) is seen within a quarter second; on the
                    // watchers' own lanes, so an idle watcher never holds a lane that media work needs.
                    var remaining = clock.realWait(wait, realFloor: PipelineRunner.shortestIdleLook)
                    while remaining > 0 && !Task.isCancelled {
                        let slice = min(remaining, 0.25)
                        if await PipelineRunner.watchers.run({ notifier.wait(seconds: slice) }) { break }
                        remaining -= slice
                    }
                    setWatching(false)
                    if Task.isCancelled { break }
                } else {
                    defer { setWatching(false) }
                    do { try await clock.sleep(wait, realFloor: PipelineRunner.shortestIdleLook) } catch { break }
                }
            }
        }
    }

    /// Lanes for drop-folder waits (inotify), apart from the CPU lanes of `BlockingExecutor.shared`.
    static let watchers = BlockingExecutor(name: "ltxpipe.watch", width: 4)

    /// Returns once the runner has nothing to do and is waiting for the drop folder to change.
    public func waitUntilWatching() async {
        if watching { return }
        await withCheckedContinuation { watchWaiters.append($0) }
    }

    private func setWatching(_ value: Bool) {
        watching = value
        if value {
            let waiters = watchWaiters
            watchWaiters.removeAll()
            waiters.forEach { $0.resume() }
        }
    }

    /// Waits for the submit slot.
    func enterSubmit() async {
        while submitInFlight { await withCheckedContinuation { submitWaiters.append($0) } }
        submitInFlight = true
    }

    /// Frees the submit slot.
    func leaveSubmit() {
        submitInFlight = false
        if !submitWaiters.isEmpty { submitWaiters.removeFirst().resume() }
    }

    /// A valid bag of `id` already in the archive, if any (hashes whole bags: call it off the actor).
    private nonisolated func completedBag(for id: String) -> String? {
        let days = (try? FileManager.default.contentsOfDirectory(atPath: configuration.archive)) ?? []
        for day in days.sorted().reversed() {
            let candidate = configuration.archive + "/" + day + "/" + id
            if FileManager.default.fileExists(atPath: candidate + "/bagit.txt"), BagVerifier.verify(bag: candidate).valid { return candidate }
        }
        return nil
    }

    private func jobFinished(_ id: String) async {
        running -= 1
        submitDone(id)
        for lane in lanes { await lane.slots.release(id) }
    }

    /// The job has left the stages before its submit: its place goes to the next waiting job.
    func submitDone(_ id: String) {
        guard beforeSubmit.remove(id) != nil else { return }
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
    }

    private func waitForSlot() async {
        guard beforeSubmit.count >= maxJobsBeforeSubmit else { return }
        await withCheckedContinuation { slotWaiters.append($0) }
    }

    /// Jobs to pick up again at start: everything unfinished, with holds lifted where a new run may succeed. Jobs
    /// past their submit come first (they take no before-submit place), and a generation already running on the
    /// service takes its generation slot at once.
    private func resumable(watcher: DropWatcher) async throws -> [PendingJob] {
        var ids: [PendingJob] = []
        for job in try await ledger.unfinished() {
            if job.state == .held {
                if job.reason == .uncertainSubmit && !configuration.resubmitUncertain { continue }
                let resume = job.resumeState ?? .preflighted
                let uncertain = job.reason == .uncertainSubmit
                let lifted = try await ledger.update(job, event: event(job.id, .resume, "ok", "hold (\(job.reason?.rawValue ?? "?")) lifted at start of run")) {
                    $0.state = resume
                    $0.reason = nil
                    $0.detail = nil
                    if uncertain { $0.submitStartedAt = nil }
                }
                ids.append(await pendingJob(lifted))
                continue
            } else if job.state == .detected {
                // Finish the claim before the first scan, or the scan would take the same files as a new group.
                let group = DropGroup(stem: job.name, files: job.inputs.map { DropFile(name: $0.name, role: $0.role, isSymlink: false) })
                guard await claimDetected(job, group: group, watcher: watcher) else { continue }
            } else if job.state == .verified {
                let id = job.id
                if let bag = await BlockingWork.run({ self.completedBag(for: id) }) {
                    // The bag was renamed into place just before a crash; the ledger had not heard of it yet.
                    try await ledger.update(job, event: event(job.id, .archive, "ok", bag)) {
                        $0.state = .archived
                        $0.bag = bag
                    }
                    await removeWorkingFolder(jobDirectory(job.id))
                    continue
                }
                try await ledger.update(job, event: event(job.id, .resume, "ok", "verified before a restart: verify again before archiving")) {
                    $0.state = .downloaded
                }
            }
            ids.append(await pendingJob(job))
        }
        return ids.filter { !$0.beforeSubmit } + ids.filter(\.beforeSubmit)
    }

    private func pendingJob(_ job: JobRecord) async -> PendingJob {
        if job.state == .submitted { await lane(of: job).slots.adopt(job.id) }
        let early: Set<JobState> = [.detected, .claimed, .preflighted]
        return PendingJob(id: job.id, beforeSubmit: early.contains(job.state))
    }

    func event(_ id: String, _ stage: JobStage, _ outcome: String, _ detail: String? = nil) -> JobEvent {
        JobEvent(jobID: id, at: Date(), stage: stage, outcome: outcome, detail: detail)
    }

    /// Records a settled group as a new job (write-ahead), before its files move; the caller claims it
    /// before scanning again, so a group is never seen twice.
    private func detect(_ group: DropGroup) async throws -> JobRecord {
        let id = JobIdentifier.make(stem: group.stem)
        let inputs = group.files.map { JobInput(name: $0.name, role: $0.isSymlink ? .unknown : $0.role, size: nil, sha256: nil) }
        let job = JobRecord(id: id, pipeline: configuration.name, name: group.stem, inputs: inputs, now: Date())
        try await ledger.insert(job, event: event(id, .detect, "ok", group.files.map(\.name).joined(separator: ", ")))
        JobLogContext.$jobID.withValue(id) { log("\(group.stem): detected \(group.files.count) file(s) as job \(id)") }
        return job
    }

    /// Drives one job until it is archived, failed, held, or the run is cancelled. The record is read once; each
    /// stage hands the next the record its own commit produced.
    func process(_ id: String) async {
        active.insert(id)
        defer { active.remove(id) }
        do {
            guard var job = try await ledger.job(id) else { return }
            while !Task.isCancelled {
                guard let admitted = try await admitRiskyStage(job) else { return }
                job = admitted
                let next: JobRecord?
                do {
                    next = try await runStage(job)
                } catch let timeout as StageTimedOut {
                    job = try await recordTimeout(job, timeout)
                    continue
                }
                guard let next else { return }
                job = next
            }
        } catch {
            await stageThrew(id, error)
        }
    }

    /// Runs the job's next stage (a risky one under a `stage_timeout_seconds` deadline); nil when the job stops here.
    private func runStage(_ job: JobRecord) async throws -> JobRecord? {
        let deadline = PipelineRunner.riskyStage(after: job.state).map { _ in StageDeadline(seconds: configuration.stageTimeoutSeconds) }
        return try await StageDeadline.$current.withValue(deadline) { () async throws -> JobRecord? in
            switch job.state {
            case .detected: return try await claim(job)
            case .claimed: return try await preflight(job)
            case .preflighted:
                let next = try await submit(job)
                submitDone(job.id)
                return next
            case .submitted: return try await waitForResult(job)
            case .generated: return try await download(job)
            case .downloaded: return try await verify(job)
            case .verified: return try await archive(job)
            case .failed:
                if job.failedFolder == nil { try await fileFailure(job) }
                return nil
            case .archived, .held: return nil
            }
        }
    }
}

/// A job waiting for the runner to start it.
struct PendingJob: Sendable {
    var id: String
    /// True when it has not been submitted yet (it needs a before-submit place).
    var beforeSubmit: Bool
}

/// Job ids: sortable by time, readable by name, unique by a random suffix.
enum JobIdentifier {
    static func make(stem: String, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let safe = String(stem.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_" }.prefix(40))
        let suffix = String(format: "%04x", UInt16.random(in: 0...UInt16.max))
        return "\(formatter.string(from: now))-\(safe.isEmpty ? "job" : safe)-\(suffix)"
    }
}
