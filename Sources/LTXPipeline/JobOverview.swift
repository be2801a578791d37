import Foundation
import GRDB
import LTXAPI

/// A job as a live view lists it: its ledger row without the inputs, preflight, verification report, request ids and
/// last response body, which make up most of a row and which a listing never shows. Read with `Ledger.overviews`.
public struct JobOverview: Sendable, Equatable, Decodable, FetchableRecord, TableRecord {
    public static let databaseTableName = JobRecord.databaseTableName

    /// The job's id.
    public var id: String
    /// The drop group's stem.
    public var name: String
    /// `text-to-video`, `image-to-video`, `audio-to-video`, or empty until classified.
    public var mode: String
    /// Current state.
    public var state: JobState
    /// Why it failed or is held.
    public var reason: JobReason?
    /// A sentence of detail for `reason`.
    public var detail: String?
    /// The state to go back to when a hold is lifted.
    public var resumeState: JobState?
    /// The generation parameters, once classified.
    public var parameters: GenerationParameters?
    /// The API's generation id.
    public var generationID: String?
    /// Price-table estimate in USD (nil when a price is unknown).
    public var estimatedCost: Double?
    /// What the API charged for the current attempt.
    public var cost: Double?
    /// What earlier attempts were charged.
    public var priorCost: Double?
    /// The bag's folder, once archived.
    public var bag: String?
    /// Where a failed job's files went.
    public var failedFolder: String?
    /// The stage a failed job failed at.
    public var failedStage: JobStage?
    /// When the job was detected.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date

    /// The columns read: exactly the properties above.
    public static var databaseSelection: [any SQLSelectable] {
        ["id", "name", "mode", "state", "reason", "detail", "resumeState", "parameters", "generationID", "estimatedCost", "cost",
         "priorCost", "bag", "failedFolder", "failedStage", "createdAt", "updatedAt"].map { Column($0) }
    }

    /// The overview of a whole row.
    public init(_ record: JobRecord) {
        id = record.id
        name = record.name
        mode = record.mode
        state = record.state
        reason = record.reason
        detail = record.detail
        resumeState = record.resumeState
        parameters = record.parameters
        generationID = record.generationID
        estimatedCost = record.estimatedCost
        cost = record.cost
        priorCost = record.priorCost
        bag = record.bag
        failedFolder = record.failedFolder
        failedStage = record.failedStage
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    public static func databaseJSONDecoder(for column: String) -> JSONDecoder { LedgerJSON.decoder() }
}
