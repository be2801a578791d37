import Foundation

/// The JSON body posted to a pipeline's webhook for one job event. It carries what the ledger shows for the job
/// and nothing of the API's credentials.
public struct JobNotification: Sendable, Codable, Equatable {
    /// What happened.
    public var event: NotifyEvent
    /// The pipeline's name.
    public var pipeline: String
    /// The job's id (`ltxpipe jobs show ID`).
    public var job: String
    /// The dropped group's name.
    public var name: String
    /// The job's state after the event (`archived`, `failed` or `held`; `detected` for a claim held where it stood,
    /// its files still in the drop folder).
    public var state: String
    /// Why it failed or is held.
    public var reason: String?
    /// The reason in a sentence.
    public var detail: String?
    /// What the API charged for the job, in USD, when known.
    public var cost: Double?
    /// The price-table estimate, in USD, when known.
    public var estimatedCost: Double?
    /// The bag's folder, for an archived job.
    public var bag: String?
    /// The failed job's folder under the pipeline's failed folder.
    public var failedFolder: String?
    /// The API's generation id, once submitted.
    public var generationID: String?
    /// When the event happened (ISO 8601, UTC).
    public var at: String

    enum CodingKeys: String, CodingKey {
        case event, pipeline, job, name, state, reason, detail, cost, bag, at
        case estimatedCost = "estimated_cost", failedFolder = "failed_folder", generationID = "generation_id"
    }

    /// The notification of `job` as recorded after `event`.
    public init(_ event: NotifyEvent, job: JobRecord) {
        self.event = event
        pipeline = job.pipeline
        self.job = job.id
        name = job.name
        state = job.state.rawValue
        reason = job.reason?.rawValue
        detail = job.detail
        cost = job.totalCost
        estimatedCost = job.estimatedCost
        bag = job.bag
        failedFolder = job.failedFolder
        generationID = job.generationID
        at = ISO8601DateFormatter().string(from: job.updatedAt)
    }

    /// The body as sent: JSON with sorted keys.
    public func body() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
