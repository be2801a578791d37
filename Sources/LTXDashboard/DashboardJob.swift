import Foundation
import LTXPipeline

/// One job as the dashboard shows it: the fields `ltxpipe jobs --json` gives (same keys), plus what a live view
/// needs (model and size, how far along the happy path, how long it has taken, its poster). Never a key, a prompt
/// or a request body.
public struct DashboardJob: Sendable, Encodable, Equatable {
    /// The job's id (`ltxpipe jobs show ID`).
    public var id: String
    /// The dropped group's name.
    public var name: String
    /// `text-to-video`, `image-to-video`, `audio-to-video`, or empty until classified.
    public var mode: String
    /// Where the job stands.
    public var state: JobState
    /// Why it failed or is held.
    public var reason: String?
    /// The reason in a sentence.
    public var detail: String?
    /// The service's generation id, once submitted.
    public var generationID: String?
    /// Charged for the current attempt.
    public var cost: Double?
    /// `reported` (by the service) or `estimate` (price table, ltx-v2), when a cost is recorded.
    public var costBasis: String?
    /// The price-table estimate in USD (nil when a price is unknown).
    public var estimatedCost: Double?
    /// Charged for earlier attempts of a retried job.
    public var priorCost: Double?
    /// The bag's folder, once archived.
    public var bag: String?
    /// Where a failed job's files went.
    public var failedFolder: String?
    /// The stage a failed job failed at.
    public var failedStage: String?
    /// The model, once classified.
    public var model: String?
    /// `WxH`.
    public var resolution: String?
    /// `6 s`, `auto`.
    public var duration: String?
    /// When the job was detected.
    public var createdAt: Date
    /// When its ledger row last changed.
    public var updatedAt: Date
    /// From detection to now (to the last change for a finished job).
    public var elapsedSeconds: Double
    /// Since the last change, for a job under way or held.
    public var inStateSeconds: Double?
    /// The job's place on the happy path (1 detected … 8 archived; a held job counts where it will resume); nil for
    /// a failed job.
    public var step: Int?
    /// The dashboard's address of the bag's poster frame, for an archived job.
    public var poster: String?

    /// The steps of the happy path `step` counts.
    public static let steps = 8

    /// `record` as seen at `now`; `reportsCost` says whether the service reports costs (else they are estimates).
    public init(_ record: JobRecord, reportsCost: Bool, now: Date) {
        self.init(JobOverview(record), reportsCost: reportsCost, now: now)
    }

    /// `record` (a ledger row's overview) as seen at `now`; `reportsCost` says whether the service reports costs
    /// (else they are estimates).
    public init(_ record: JobOverview, reportsCost: Bool, now: Date) {
        id = record.id
        name = record.name
        mode = record.mode
        state = record.state
        reason = record.reason?.rawValue
        detail = record.detail
        generationID = record.generationID
        cost = record.cost
        costBasis = record.cost == nil ? nil : (reportsCost ? "reported" : "estimate")
        estimatedCost = record.estimatedCost
        priorCost = record.priorCost
        bag = record.bag
        failedFolder = record.failedFolder
        failedStage = record.failedStage?.rawValue
        model = record.parameters?.model
        resolution = record.parameters.map { "\($0.resolution)" }
        duration = record.parameters?.durationText
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        let finished = record.state.isFinal
        elapsedSeconds = max(0, (finished ? record.updatedAt : now).timeIntervalSince(record.createdAt))
        inStateSeconds = finished ? nil : max(0, now.timeIntervalSince(record.updatedAt))
        step = DashboardJob.step(of: record.state == .held ? (record.resumeState ?? .claimed) : record.state)
        poster = record.state == .archived && record.bag != nil ? "/posters/\(record.id).jpg" : nil
    }

    /// 1…8 along detected → archived; nil for failed and held.
    static func step(of state: JobState) -> Int? {
        let path: [JobState] = [.detected, .claimed, .preflighted, .submitted, .generated, .downloaded, .verified, .archived]
        return path.firstIndex(of: state).map { $0 + 1 }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, mode, state, reason, detail, cost, bag, model, resolution, duration, step, poster
        case generationID = "generation_id", costBasis = "cost_basis", estimatedCost = "estimated_cost", priorCost = "prior_cost"
        case failedFolder = "failed_folder", failedStage = "failed_stage", createdAt = "created_at", updatedAt = "updated_at"
        case elapsedSeconds = "elapsed_seconds", inStateSeconds = "in_state_seconds"
    }

    /// Every key present, `null` where nothing is known (as `jobs --json`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(mode, forKey: .mode)
        try container.encode(state.rawValue, forKey: .state)
        try container.encode(reason, forKey: .reason)
        try container.encode(detail, forKey: .detail)
        try container.encode(generationID, forKey: .generationID)
        try container.encode(cost, forKey: .cost)
        try container.encode(costBasis, forKey: .costBasis)
        try container.encode(estimatedCost, forKey: .estimatedCost)
        try container.encode(priorCost, forKey: .priorCost)
        try container.encode(bag, forKey: .bag)
        try container.encode(failedFolder, forKey: .failedFolder)
        try container.encode(failedStage, forKey: .failedStage)
        try container.encode(model, forKey: .model)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(duration, forKey: .duration)
        try container.encode(DashboardJSON.time(createdAt), forKey: .createdAt)
        try container.encode(DashboardJSON.time(updatedAt), forKey: .updatedAt)
        try container.encode(DashboardJSON.rounded(elapsedSeconds), forKey: .elapsedSeconds)
        try container.encode(inStateSeconds.map(DashboardJSON.rounded), forKey: .inStateSeconds)
        try container.encode(step, forKey: .step)
        try container.encode(poster, forKey: .poster)
    }
}
