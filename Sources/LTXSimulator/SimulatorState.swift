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
    func accept(_ spec: GenerationSpec, at now: Double) throws(SimulatorError) -> Acceptance {
        try create(
            .generations(spec), id: Identifiers.make("gen"), prompt: spec.prompt, cost: rules.cost(of: spec),
            pro: spec.model == .pro, pattern: SimulatedJob.pattern(for: spec), createdAt: Date(), at: now)
    }

    /// Charges for and creates a job from a validated ltx-v2 submit (`sync` for `POST /v1/{mode}`), applying the
    /// faults that are due; the `contentFiltered` fault refuses it first, with nothing charged.
    func acceptV2(_ spec: V2Spec, sync: Bool, at now: Double, createdAt: Date) throws(SimulatorError) -> Acceptance {
        if FaultPlan.take(&faults.contentFiltered) {
            throw SimulatorError(
                .contentFiltered, "the request was rejected by the content safety filter (simulated fault); change the prompt or inputs")
        }
        let acceptance = try create(
            .ltxV2(spec), id: UUID().uuidString.lowercased(), prompt: spec.request.prompt ?? "", cost: v2Rules.cost(of: spec),
            pro: spec.request.model.isPro, pattern: SimulatedJob.pattern(for: spec), createdAt: createdAt, at: now)
        if sync { syncSubmits += 1 }
        return acceptance
    }

    private func create(
        _ request: SimulatedJob.Request, id: String, prompt: String, cost: Int64, pro: Bool, pattern requested: TestPattern,
        createdAt: Date, at now: Double
    ) throws(SimulatorError) -> Acceptance {
        guard cost <= creditsMicroUSD else {
            throw SimulatorError(
                .insufficientCredits,
                "insufficient credits: this generation costs $\(Self.dollars(cost)) but the balance is $\(Self.dollars(creditsMicroUSD)); add credits and retry")
        }
        creditsMicroUSD -= cost
        chargedMicroUSD += cost

        let outcome: SimulatedJob.Outcome
        if FaultPlan.take(&faults.failedGenerations) {
            outcome = .failure("the generation failed (simulated fault); submit again")
        } else {
            var pattern = requested
            if FaultPlan.take(&faults.wrongFrameCount) { pattern.frameCount += 1 }
            if FaultPlan.take(&faults.wrongFPS) { pattern.fps = Rational(pattern.fps == Rational(24, 1) ? 25 : 24, 1) }
            outcome = .video(pattern)
        }
        let range = pro ? proLatency : fastLatency
        let latency = range.lowerBound == range.upperBound ? range.lowerBound : Double.random(in: range, using: &random)
        let job = SimulatedJob(
            id: id, request: request, costMicroUSD: cost, createdAt: createdAt, acceptedAt: now, readyAt: now + latency,
            outcome: outcome)
        jobs[job.id] = job
        submitsAccepted += 1
        submitsByPrompt[prompt, default: 0] += 1
        return Acceptance(job: job, dropConnection: FaultPlan.take(&faults.resetAfterSubmit))
    }

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
            authorizationOnUploads: authorizationOnUploads, expiredPolls: expiredPolls, syncSubmits: syncSubmits)
    }

    private static func micro(_ dollars: Double) -> Int64 {
        guard dollars.isFinite, dollars > 0 else { return 0 }
        return Int64((dollars * 1_000_000).rounded())
    }

    private static func dollars(_ micro: Int64) -> String {
        String(format: micro % 10_000 == 0 ? "%.2f" : "%.6f", Double(micro) / 1_000_000)
    }
}
