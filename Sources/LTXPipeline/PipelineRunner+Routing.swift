import Foundation
import LTXAPI
import LTXGeneration

/// Why routing found no provider for a job.
enum RoutingRefusal: Error, Sendable {
    /// No provider can serve the job exactly: it fails with the (first) provider's reason.
    case rejected(JobRejection)
    /// Providers could serve it but none may take it now (price unknown under `route: cheapest`, or every one
    /// that can serve it refused a submit in this run): the job is held and routed again later.
    case held(JobReason, String)
}

/// A job's spec under the provider it goes to.
struct RoutedJob: Sendable {
    var spec: JobSpec
    var lane: ProviderLane
}

extension PipelineRunner {
    /// Nominal seconds routing passes a provider by after it refused a submit past its retries (`api.fallback`).
    static let providerDownSeconds: Double = 600

    /// The provider lane a job was routed to (the first provider for a job routed before providers existed).
    nonisolated func lane(of job: JobRecord) -> ProviderLane {
        lanes.first { $0.name == job.provider } ?? lanes[0]
    }

    /// Chooses the job's provider among those that can serve it exactly: each provider's catalog builds the job's
    /// spec, and one whose spec differs from the first provider's that can serve it (another fps, size, model) is
    /// passed by rather than silently changing the video. `route: order` takes the first; `route: cheapest` the
    /// lowest known price (an unknown price is never the cheapest). Every provider passed by is logged with why.
    func route(_ job: JobRecord, inputs: [JobInput], folder: String) -> Result<RoutedJob, RoutingRefusal> {
        var candidates: [RoutedJob] = []
        var rejections: [(lane: String, rejection: JobRejection)] = []
        var passedBy: [String] = []
        var reference: GenerationParameters?
        let now = clock.now()
        let names = lanes.map(\.name)
        for lane in lanes {
            let spec: JobSpec
            switch cappedSpec(inputs, folder: folder, catalog: lane.steps.catalog) {
            case .failure(let rejection):
                rejections.append((lane.name, rejection))
                continue
            case .success(let value): spec = value
            }
            if let wanted = spec.provider {
                let named = wanted == "ltx" ? DialectName.ltxV2.rawValue : wanted
                guard names.contains(named) else {
                    return .failure(.rejected(JobRejection(reason: "unknown-provider", detail: "the sidecar names provider \"\(wanted)\"; this pipeline's providers are \(names.joined(separator: ", "))")))
                }
                if named != lane.name { continue }
            }
            if let reference, reference != spec.parameters {
                passedBy.append("\(lane.name): would not make the same video (\(Self.difference(reference, spec.parameters)))")
                continue
            }
            reference = spec.parameters
            if let until = providersDown[lane.name], until > now {
                passedBy.append("\(lane.name): did not accept a submit after its retries earlier in this run")
                continue
            }
            if lanes.count > 1, let refusal = providersStopped[lane.name] {
                passedBy.append("\(lane.name): refused the account earlier in this run (\(refusal.reason))")
                continue
            }
            candidates.append(RoutedJob(spec: spec, lane: lane))
        }
        for (lane, rejection) in rejections where lanes.count > 1 { passedBy.append("\(lane): cannot serve it: \(rejection.detail)") }
        guard !candidates.isEmpty else {
            if reference == nil, let first = rejections.first {
                guard rejections.count > 1 else { return .failure(.rejected(first.rejection)) }
                let detail = rejections.map { "\($0.lane): \($0.rejection.detail)" }.joined(separator: "; ")
                return .failure(.rejected(JobRejection(reason: first.rejection.reason, detail: "no provider can serve it: " + detail)))
            }
            return .failure(.held(JobReason(rawValue: "api-unavailable"), "no provider that can serve it may take it now: " + passedBy.joined(separator: "; ")))
        }
        var chosen = candidates[0]
        if configuration.route == .cheapest {
            var priced: [(job: RoutedJob, price: Double)] = []
            for candidate in candidates {
                let parameters = candidate.spec.parameters
                if let price = candidate.lane.steps.client.estimatedCost(parameters, audioSeconds: nil) {
                    priced.append((candidate, price))
                } else {
                    passedBy.append("\(candidate.lane.name): price unknown for \(parameters.model) at \(parameters.resolution)")
                }
            }
            guard let cheapest = priced.min(by: { $0.price < $1.price }) else {
                let parameters = candidates[0].spec.parameters
                return .failure(.held(.priceUnknown, "route: cheapest, and no provider that can serve it has a known price for \(parameters.model) at \(parameters.resolution) "
                                      + "(\(candidates.map(\.lane.name).joined(separator: ", "))); set models.\(parameters.model).prices in a provider's catalog override, or use route: order"))
            }
            chosen = cheapest.job
            let prices = priced.map { "\($0.job.lane.name) " + String(format: "$%.2f", $0.price) }.joined(separator: ", ")
            log("\(job.name): routed to \(chosen.lane.name), the cheapest known (\(prices))")
        } else if lanes.count > 1 {
            log("\(job.name): routed to \(chosen.lane.name)")
        }
        for line in passedBy { log("\(job.name): skipped \(line)") }
        return .success(chosen)
    }

    /// What differs between two specs of one job, for the log.
    static func difference(_ a: GenerationParameters, _ b: GenerationParameters) -> String {
        var parts: [String] = []
        if a.model != b.model { parts.append("model \(b.model) instead of \(a.model)") }
        if a.resolution != b.resolution { parts.append("\(b.resolution) instead of \(a.resolution)") }
        if a.duration != b.duration { parts.append("\(b.durationText) instead of \(a.durationText)") }
        if a.fps != b.fps { parts.append("\(b.fps) fps instead of \(a.fps)") }
        return parts.isEmpty ? "other parameters" : parts.joined(separator: ", ")
    }

    /// `api.fallback`: a submit the provider did not accept after its retries (5xx, 529, saturated) created
    /// nothing, so the job is routed again among the other providers. Never after an uncertain submit or a refusal
    /// of the content: those are not `unavailable`. Returns nil when fallback does not apply.
    func fallBack(_ job: JobRecord, from lane: ProviderLane, after error: APIError) async throws -> JobRecord? {
        guard configuration.fallback, lanes.count > 1, case .unavailable = error else { return nil }
        providersDown[lane.name] = clock.now() + Self.providerDownSeconds
        log("\(job.name): \(lane.name) did not accept the submit (\(error.description)); routing to the next provider")
        return try await ledger.update(job, event: event(job.id, .submit, "fallback", "\(lane.name) did not accept it after its retries: \(error.description)")) {
            $0.submitStartedAt = nil
            $0.provider = nil
            $0.state = .claimed
        }
    }

    /// A job routed to a provider that has since refused the account (401/402), or, with `api.fallback`, refused a
    /// submit past its retries, is routed again before anything is sent for it. Returns nil when it stays.
    func rerouteIfDown(_ job: JobRecord, lane: ProviderLane) async throws -> JobRecord? {
        guard lanes.count > 1 else { return nil }
        let why: String
        if let refusal = providersStopped[lane.name] {
            why = "\(lane.name) refused the account earlier in this run (\(refusal.reason))"
        } else if configuration.fallback, let until = providersDown[lane.name], until > clock.now() {
            why = "\(lane.name) did not accept a submit after its retries earlier in this run"
        } else {
            return nil
        }
        log("\(job.name): \(why); routing to the next provider")
        return try await ledger.update(job, event: event(job.id, .submit, "rerouted", why + "; nothing sent")) {
            $0.provider = nil
            $0.state = .claimed
        }
    }

    /// True when the job names a provider this pipeline no longer lists (the file was edited since it was routed).
    nonisolated func providerMissing(_ job: JobRecord) -> Bool {
        guard let provider = job.provider else { return false }
        return !lanes.contains { $0.name == provider }
    }

    /// A job whose provider left the pipeline: before its submit it is routed again; after it, its generation lives
    /// on that provider alone, so it is held until the provider is listed again (never polled elsewhere).
    func providerLeft(_ job: JobRecord, submitted: Bool) async throws -> JobRecord? {
        let provider = job.provider ?? "?"
        if !submitted {
            log("\(job.name): \(provider) is no longer among this pipeline's providers; routing again")
            return try await ledger.update(job, event: event(job.id, .submit, "rerouted", "\(provider) is no longer listed in api.providers; nothing sent")) {
                $0.provider = nil
                $0.state = .claimed
            }
        }
        try await hold(job, reason: JobReason(rawValue: "provider-missing"),
                       detail: "its generation \(job.generationID ?? "") is on \(provider), which api.providers no longer lists; list it again and run",
                       resume: job.state)
        return nil
    }
}
