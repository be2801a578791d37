import Foundation
import LTXMedia

/// Everything a simulator remembers, whatever the dialect: jobs, credits, faults, limits and stats.
///
/// One actor, so that checking credits and charging, or taking a fault and acting on it, happen atomically.
actor SimulatorState {
    /// What acceptance produced.
    struct Acceptance: Sendable {
        /// The new job.
        let job: SimulatedJob
        /// True when the `resetAfterSubmit` fault fired: answer by dropping the connection.
        let dropConnection: Bool
    }

    private let fastLatency: ClosedRange<Double>
    private let proLatency: ClosedRange<Double>
    private let rules: GenerationRules
    private let v2Rules: V2Rules
    private var uploads: UploadStore
    private var limiter: RateLimiter
    private var faults: FaultPlan
    private var creditsMicroUSD: Int64
    private var chargedMicroUSD: Int64 = 0
    private var jobs: [String: SimulatedJob] = [:]
    private var random: SeededGenerator
    private var requests = SimulatorStats.Requests()
    private var submitsAccepted = 0
    private var submitsByPrompt: [String: Int] = [:]
    private var rateLimited = 0
    private var authorizationOnDownloads = 0
    private var unauthorized = 0
    private var uploadRequests = 0
    private var authorizationOnUploads = 0
    private var expiredPolls = 0
    private var syncSubmits = 0
    /// ltx-v2: most generations running at once (≤ 0: no limit).
    private let concurrentGenerations: Int
    private let prices: LTXV2PriceList
    private let uploadPutStatus: Int
    /// Generations not yet ended: when each ends (simulated time) and whether it counts toward the ltx-v2 limit.
    private var running: [(readyAt: Double, ltxV2: Bool)] = []
    private var peakConcurrentGenerations = 0
    private var concurrencyLimited = 0
    private var costByGeneration: [String: Double] = [:]
    private var unpricedGenerations = 0
    private var contentFailures = 0
    /// Inputs by digest, so jobs made from the same bytes hold one copy.
    private var sharedStartImages: [UInt64: StartImage] = [:]
    private var sharedAudioTracks: [UInt64: InputAudioTrack] = [:]
    /// Files uploaded through WaveSpeed's binary upload, by id.
    private var media: [String: [UInt8]] = [:]
    private var waveSpeedQueued = 0
    /// `http://host:port`, known once the socket is bound; video URLs are built from it.
    private(set) var origin = "http://127.0.0.1"

    init(configuration: SimulatorConfiguration, rules: GenerationRules = .reference, v2Rules: V2Rules = .standard) {
        fastLatency = configuration.fastLatency
        proLatency = configuration.proLatency
        self.rules = rules
        self.v2Rules = v2Rules
        uploads = UploadStore(urlLifetime: configuration.uploadURLLifetime, lifetime: configuration.uploadLifetime)
        limiter = RateLimiter(
            concurrencyLimit: configuration.concurrencyLimit, requestsPerWindow: configuration.requestsPerWindow,
            windowSeconds: configuration.windowSeconds)
        faults = configuration.faults
        concurrentGenerations = configuration.concurrentGenerations
        prices = configuration.ltxV2Prices
        uploadPutStatus = configuration.uploadPutStatus
        creditsMicroUSD = Self.micro(configuration.credits)
        random = SeededGenerator(seed: configuration.seed)
    }

    // MARK: Configuration at runtime

    func setOrigin(_ origin: String) {
        self.origin = origin
    }

    func setCredits(_ credits: Double) {
        creditsMicroUSD = Self.micro(credits)
    }

    func setFaults(_ faults: FaultPlan) {
        self.faults = faults
    }

    /// The faults still pending.
    func currentFaults() -> FaultPlan {
        faults
    }

    // MARK: Counting

    func recordRequest(_ kind: EndpointKind) {
        switch kind {
        case .submit: requests.submit += 1
        case .poll: requests.poll += 1
        case .download: requests.download += 1
        case .other: requests.other += 1
        case .upload: uploadRequests += 1
        case .control: break
        }
    }

    func recordUnauthorized() {
        unauthorized += 1
    }

    func recordAuthorizationOnDownload() {
        authorizationOnDownloads += 1
    }

    func recordAuthorizationOnUpload() {
        authorizationOnUploads += 1
    }

    func recordExpiredPoll() {
        expiredPolls += 1
    }

    // MARK: Limits

    /// Admits or refuses one API request arriving at simulated time `now`; refusals are counted.
    func admit(at now: Double) -> RateLimiter.Decision {
        let decision = limiter.admit(at: now)
        if case .limited = decision { rateLimited += 1 }
        return decision
    }

    /// Marks an admitted request finished.
    func release() {
        limiter.release()
    }

    // MARK: Faults used by the routes

    /// Takes one answer of the error burst, if one is pending.
    func takeErrorBurst() -> FaultPlan.ErrorBurst? {
        guard var burst = faults.errorBurst, burst.count > 0 else { return nil }
        burst.count -= 1
        faults.errorBurst = burst
        return burst
    }

    /// Takes one truncated download, if one is pending.
    func takeTruncatedDownload() -> Bool {
        FaultPlan.take(&faults.truncatedDownloads)
    }

    /// The delay every poll gets (simulated seconds).
    func pollDelay() -> Double {
        faults.slowResponses
    }

    // MARK: Jobs

    /// Charges for and creates a job from a validated generations submit, applying the job faults that are due.
    func accept(
        _ spec: GenerationSpec, at now: Double, inputAudio: InputAudioTrack? = nil, startImage: StartImage? = nil
    ) throws(SimulatorError) -> Acceptance {
        var spec = spec
        spec.imageBytes = nil
        spec.audioBytes = nil
        return try create(
            .generations(spec), id: Identifiers.make("gen"), prompt: spec.prompt, cost: rules.cost(of: spec),
            pro: spec.model == .pro, pattern: SimulatedJob.pattern(for: spec), hasImage: spec.image != nil,
            inputAudio: inputAudio.map { sharedAudioTracks[$0.digest] ?? remember($0) },
            startImage: startImage.map { sharedStartImages[$0.digest] ?? remember($0) }, createdAt: Date(), at: now)
    }

    /// Charges for and creates a job from a validated ltx-v2 submit (`sync` for `POST /v1/{mode}`), applying the
    /// faults that are due. Refusals come in this order: the account's generations limit (429
    /// `concurrency_limit_error`), the `contentFiltered` fault (422), the balance (402); none of them charges.
    func acceptV2(
        _ spec: V2Spec, sync: Bool, at now: Double, createdAt: Date, inputAudio: InputAudioTrack? = nil, startImage: StartImage? = nil
    ) throws(SimulatorError) -> Acceptance {
        pruneRunning(at: now)
        if concurrentGenerations > 0 {
            let mine = running.filter(\.ltxV2)
            if mine.count >= concurrentGenerations {
                concurrencyLimited += 1
                let firstEnd = mine.map(\.readyAt).min() ?? now
                let wait = max(1, Int(min((firstEnd - now).rounded(.up), Double(Int32.max))))
                throw SimulatorError.retryLater(
                    .generationsLimited,
                    "concurrency limit reached: \(mine.count) generations are already running (limit \(concurrentGenerations) per account); retry in \(wait) s",
                    after: wait)
            }
        }
        if FaultPlan.take(&faults.contentFiltered) {
            throw SimulatorError(
                .contentFiltered, "the request was rejected by the content safety filter (simulated fault); change the prompt or inputs")
        }
        var spec = spec
        // The job keeps its inputs once, in its content (shared between jobs with the same bytes), not in its spec.
        spec.imageBytes = nil
        spec.audioBytes = nil
        let startImage = startImage.map { image in sharedStartImages[image.digest] ?? remember(image) }
        let inputAudio = inputAudio.map { track in sharedAudioTracks[track.digest] ?? remember(track) }
        if spec.request.duration == nil, spec.mode != .audioToVideo {
            spec.chosenDuration = v2Rules.chooseDuration(for: spec.request, using: &random)
        }
        let cost = v2Rules.cost(of: spec, prices: prices)
        let acceptance = try create(
            .ltxV2(spec), id: UUID().uuidString.lowercased(), prompt: spec.request.prompt ?? "", cost: cost,
            pro: spec.request.model.isPro, pattern: SimulatedJob.pattern(for: spec), hasImage: spec.image != nil,
            inputAudio: inputAudio, startImage: startImage, createdAt: createdAt, at: now)
        if sync { syncSubmits += 1 }
        return acceptance
    }

    /// What a job's video shows and sounds like: a content failure when the prompt carries its marker (markers win
    /// and leave the counts alone) or its fault count is due (counts are only taken by jobs they apply to), else moving
    /// pictures with a tone, or with the input audio.
    private func content(prompt: String, hasImage: Bool, hasAudio: Bool, inputAudio: InputAudioTrack?) -> VideoContent {
        let marked = Set(FaultPlan.PromptMarker.allCases.filter { prompt.contains($0.rawValue) })
        var content = VideoContent.standard
        if marked.contains(.black) {
            content.picture = .black
        } else if marked.contains(.frozen) {
            content.picture = .frozen
        } else if hasImage, marked.contains(.otherImage) {
            content.picture = .otherPicture
        } else if FaultPlan.take(&faults.blackVideos) {
            content.picture = .black
        } else if FaultPlan.take(&faults.frozenVideos) {
            content.picture = .frozen
        } else if hasImage, FaultPlan.take(&faults.wrongStartImages) {
            content.picture = .otherPicture
        }
        guard hasAudio else { return content }
        if marked.contains(.silent) {
            content.sound = .silence
        } else if marked.contains(.otherAudio) {
            content.sound = .otherSoundtrack
        } else if FaultPlan.take(&faults.silentAudio) {
            content.sound = .silence
        } else if FaultPlan.take(&faults.wrongSoundtracks) {
            content.sound = .otherSoundtrack
        } else if let inputAudio {
            content.sound = .input(inputAudio)
        }
        return content
    }

    private func remember(_ image: StartImage) -> StartImage {
        sharedStartImages[image.digest] = image
        return image
    }

    private func remember(_ track: InputAudioTrack) -> InputAudioTrack {
        sharedAudioTracks[track.digest] = track
        return track
    }

    /// Charges for (when the price is known) and creates a job from a validated fal submit.
    func acceptFal(_ spec: FalSpec, at now: Double, startImage: StartImage?) throws(SimulatorError) -> Acceptance {
        var spec = spec
        spec.imageBytes = nil
        let cost = FalRules.standard.pricePerSecond(spec.model, tier: spec.tier).map { Int64(($0 * Double(spec.duration) * 1_000_000).rounded()) }
        return try create(
            .fal(spec), id: UUID().uuidString.lowercased(), prompt: spec.prompt, cost: cost, pro: !spec.model.fast,
            pattern: SimulatedJob.pattern(for: spec), hasImage: spec.model.mode == .imageToVideo, inputAudio: nil,
            startImage: startImage.map { sharedStartImages[$0.digest] ?? remember($0) }, createdAt: Date(), at: now)
    }

    /// Creates a job from a validated Replicate prediction; the simulator knows no Replicate price, so nothing is
    /// charged and the generation is counted as unpriced.
    func acceptReplicate(_ spec: ReplicateSpec, at now: Double, createdAt: Date, startImage: StartImage?) throws(SimulatorError) -> Acceptance {
        var spec = spec
        spec.imageBytes = nil
        return try create(
            .replicate(spec), id: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), prompt: spec.prompt,
            cost: nil, pro: !spec.model.fast, pattern: SimulatedJob.pattern(for: spec), hasImage: spec.hasImage, inputAudio: nil,
            startImage: startImage.map { sharedStartImages[$0.digest] ?? remember($0) }, createdAt: createdAt, at: now)
    }

    /// Charges for and creates a job from a validated WaveSpeed submit. Beyond the account's concurrent tasks
    /// (`WaveSpeedRules.concurrentTasks`, Bronze's 2) a task is queued, not refused: it starts when a slot frees.
    func acceptWaveSpeed(_ spec: WaveSpeedSpec, at now: Double, createdAt: Date, startImage: StartImage?) throws(SimulatorError) -> Acceptance {
        let limit = WaveSpeedRules.concurrentTasks
        let ends = jobs.values.filter { $0.waveSpeedSpec != nil && $0.readyAt > now }.map(\.readyAt).sorted()
        let startsAt = ends.count < limit ? now : ends[ends.count - limit]
        if startsAt > now { waveSpeedQueued += 1 }
        let cost = WaveSpeedRules.standard.pricePerSecond(spec.model).map { Int64(($0 * Double(spec.duration) * 1_000_000).rounded()) }
        return try create(
            .wavespeed(spec), id: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), prompt: spec.prompt,
            cost: cost, pro: !spec.model.fast, pattern: SimulatedJob.pattern(for: spec), hasImage: spec.hasImage, inputAudio: nil,
            startImage: startImage.map { sharedStartImages[$0.digest] ?? remember($0) }, createdAt: createdAt, at: now, startsAt: startsAt)
    }

    /// Creates a job from a validated APIFree submit; APIFree publishes no LTX price, so nothing is charged and the
    /// generation is counted as unpriced.
    func acceptAPIFree(_ spec: APIFreeSpec, at now: Double, createdAt: Date, startImage: StartImage?) throws(SimulatorError) -> Acceptance {
        var spec = spec
        spec.imageBytes = nil
        return try create(
            .apifree(spec), id: "video_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), prompt: spec.prompt,
            cost: nil, pro: !spec.fast, pattern: SimulatedJob.pattern(for: spec), hasImage: startImage != nil, inputAudio: nil,
            startImage: startImage.map { sharedStartImages[$0.digest] ?? remember($0) }, createdAt: createdAt, at: now)
    }

    /// WaveSpeed tasks that waited in the queue for a free slot instead of starting at once.
    func waveSpeedQueuedTasks() -> Int { waveSpeedQueued }

    /// Keeps an uploaded file (WaveSpeed's binary upload) and returns its id.
    func storeMedia(_ bytes: [UInt8]) -> String {
        let id = UUID().uuidString.lowercased()
        media[id] = bytes
        return id
    }

    /// An uploaded file's bytes, nil when unknown.
    func media(_ id: String) -> [UInt8]? { media[id] }

    /// Forgets generations that ended by `now`.
    private func pruneRunning(at now: Double) {
        running.removeAll { $0.readyAt <= now }
    }

    private func create(
        _ request: SimulatedJob.Request, id: String, prompt: String, cost: Int64?, pro: Bool, pattern requested: TestPattern,
        hasImage: Bool, inputAudio: InputAudioTrack?, startImage: StartImage? = nil, createdAt: Date, at now: Double,
        startsAt: Double? = nil
    ) throws(SimulatorError) -> Acceptance {
        let charge = cost ?? 0
        guard charge <= creditsMicroUSD else {
            throw SimulatorError(
                .insufficientCredits,
                "insufficient credits: this generation costs $\(Self.dollars(charge)) but the balance is $\(Self.dollars(creditsMicroUSD)); add credits and retry")
        }
        creditsMicroUSD -= charge
        chargedMicroUSD += charge

        let outcome: SimulatedJob.Outcome
        if FaultPlan.take(&faults.failedGenerations) {
            outcome = .failure("the generation failed (simulated fault); submit again")
        } else if FaultPlan.take(&faults.filteredGenerations) {
            outcome = .failure("the generated video was rejected by the content safety filter (simulated fault)", .contentFilter)
        } else {
            var pattern = requested
            if FaultPlan.take(&faults.wrongFrameCount) { pattern.frameCount += 1 }
            if FaultPlan.take(&faults.wrongFPS) { pattern.fps = Rational(pattern.fps == Rational(24, 1) ? 25 : 24, 1) }
            outcome = .video(pattern)
        }
        let range = pro ? proLatency : fastLatency
        let latency = range.lowerBound == range.upperBound ? range.lowerBound : Double.random(in: range, using: &random)
        let start = max(now, startsAt ?? now)
        var job = SimulatedJob(
            id: id, request: request, costMicroUSD: charge, createdAt: createdAt, acceptedAt: now, readyAt: start + latency,
            outcome: outcome)
        job.startsAt = start
        job.priceKnown = cost != nil
        if let pattern = job.pattern {
            job.content = content(
                prompt: prompt, hasImage: hasImage || startImage != nil, hasAudio: pattern.audio, inputAudio: inputAudio)
            if job.content.picture == .moving || job.content.picture == .frozen { job.content.startImage = startImage }
            if job.content.isFailure { contentFailures += 1 }
        }
        jobs[job.id] = job
        submitsAccepted += 1
        submitsByPrompt[prompt, default: 0] += 1
        if cost != nil {
            costByGeneration[id] = Double(charge) / 1_000_000
        } else {
            unpricedGenerations += 1
        }
        pruneRunning(at: now)
        if job.readyAt > now {
            running.append((job.readyAt, job.v2Spec != nil))
        }
        // A job with no latency still ran for an instant: it counts as one at its acceptance.
        peakConcurrentGenerations = max(peakConcurrentGenerations, running.count + (job.readyAt > now ? 0 : 1))
        return Acceptance(job: job, dropConnection: FaultPlan.take(&faults.resetAfterSubmit))
    }

    /// Simulated seconds from acceptance to the end of every generation accepted so far.
    func latencies() -> [Double] { jobs.values.map { $0.readyAt - $0.acceptedAt } }

    func job(_ id: String) -> SimulatedJob? {
        jobs[id]
    }

    // MARK: Uploads (ltx-v2)

    /// Issues an upload URL at `now`.
    func issueUpload(at now: Double) -> UploadStore.Entry {
        uploads.issue(at: now)
    }

    /// The upload behind a token, nil when unknown.
    func uploadEntry(token: String) -> UploadStore.Entry? {
        uploads.entry(token: token)
    }

    /// The status the next accepted upload `PUT` answers (201 while the `uploadPutCreated` fault lasts).
    func takeUploadPutStatus() -> Int {
        FaultPlan.take(&faults.uploadPutCreated) ? 201 : uploadPutStatus
    }

    /// Takes one `proxyTooLarge` fault, if one is pending.
    func takeProxyTooLarge() -> Bool {
        FaultPlan.take(&faults.proxyTooLarge)
    }

    /// Stores the bytes of a `PUT`.
    func storeUpload(token: String, bytes: [UInt8], at now: Double) throws(UploadStore.PutRefusal) {
        try uploads.put(token: token, bytes: bytes, at: now)
    }

    /// Resolves `ltx://uploads/<id>` at `now`.
    func upload(id: String, at now: Double) -> UploadStore.Lookup {
        uploads.lookup(id: id, at: now)
    }

    // MARK: Stats

    func stats() -> SimulatorStats {
        SimulatorStats(
            requests: requests, submitsAccepted: submitsAccepted, submitsByPrompt: submitsByPrompt, rateLimited: rateLimited,
            peakInFlight: limiter.peakInFlight, maxRequestsInWindow: limiter.maxRequestsInWindow,
            costCharged: Double(chargedMicroUSD) / 1_000_000, credits: Double(creditsMicroUSD) / 1_000_000,
            authorizationOnDownloads: authorizationOnDownloads, unauthorized: unauthorized, uploads: uploadRequests,
            authorizationOnUploads: authorizationOnUploads, expiredPolls: expiredPolls, syncSubmits: syncSubmits,
            concurrencyLimited: concurrencyLimited, peakConcurrentGenerations: peakConcurrentGenerations,
            costByGeneration: costByGeneration, unpricedGenerations: unpricedGenerations, contentFailures: contentFailures)
    }

    private static func micro(_ dollars: Double) -> Int64 {
        guard dollars.isFinite, dollars > 0 else { return 0 }
        return Int64((dollars * 1_000_000).rounded())
    }

    private static func dollars(_ micro: Int64) -> String {
        String(format: micro % 10_000 == 0 ? "%.2f" : "%.6f", Double(micro) / 1_000_000)
    }
}
