import Foundation
import GRDB

/// Where a job stands. The order of the happy path is the order of the cases.
public enum JobState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case detected, claimed, preflighted, submitted, generated, downloaded, verified, archived, failed, held

    /// True for states a run never leaves on its own (`archived`, `failed`).
    public var isFinal: Bool { self == .archived || self == .failed }
}

/// One input file of a job, as claimed from the drop folder.
public struct JobInput: Sendable, Codable, Equatable {
    /// What the file is for.
    public enum Role: String, Sendable, Codable { case prompt, sidecar, image, audio, unknown }

    /// The file's name as dropped.
    public var name: String
    /// Its role, by extension.
    public var role: Role
    /// Bytes, once claimed.
    public var size: Int64?
    /// SHA-256 hex, once claimed.
    public var sha256: String?
}

/// One job's row in the ledger: everything needed to resume it after a crash and to file it afterwards.
public struct JobRecord: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "jobs"

    /// Stable id, also the bag's folder name (`YYYYMMDD-HHMMSS-NAME-XXXX`).
    public var id: String
    /// The pipeline's name.
    public var pipeline: String
    /// The drop group's stem.
    public var name: String
    /// `text-to-video`, `image-to-video`, `audio-to-video`, or empty until classified.
    public var mode: String
    /// Current state.
    public var state: JobState
    /// Why it failed or is held (`uncertain-submit`, `insufficient-credits`, `budget`, `unauthorized`, ...).
    public var reason: String?
    /// A sentence of detail for `reason`.
    public var detail: String?
    /// The state to go back to when a hold is lifted.
    public var resumeState: JobState?
    /// The generation parameters, as JSON.
    public var parameters: String?
    /// The input files, as JSON `[JobInput]`.
    public var inputs: String
    /// SHA-256 over the inputs' digests and the parameters: identical drops have identical fingerprints.
    public var fingerprint: String?
    /// The sidecar asked to generate even if an identical job was archived.
    public var force: Bool
    /// Preflight reports, as JSON `[PreflightReport]`.
    public var preflight: String?
    /// Set (write-ahead) just before a submit is sent; with no generation id afterwards the outcome is unknown.
    public var submitStartedAt: Date?
    /// The API's generation id, written the moment it is known.
    public var generationID: String?
    /// `x-request-id`s of the calls made for this job, as JSON `[String]`.
    public var requestIDs: String
    /// Price-table estimate in USD.
    public var estimatedCost: Double?
    /// What the API charged.
    public var cost: Double?
    /// The result's URL.
    public var videoURL: String?
    /// The last status response body.
    public var response: String?
    /// The downloaded video's SHA-256.
    public var videoSHA256: String?
    /// The verification report, as JSON.
    public var verification: String?
    /// The bag's folder, once archived.
    public var bag: String?
    /// Where a failed job's files went.
    public var failedFolder: String?
    /// The stage a failed job failed at.
    public var failedStage: String?
    /// Times a rejected input was re-encoded and resubmitted (413/422).
    public var inputRetries: Int
    /// When the job was detected.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date

    /// A new job in state `detected`.
    public init(id: String, pipeline: String, name: String, inputs: [JobInput], now: Date) {
        self.id = id
        self.pipeline = pipeline
        self.name = name
        self.mode = ""
        self.state = .detected
        self.inputs = JobRecord.encode(inputs) ?? "[]"
        self.force = false
        self.requestIDs = "[]"
        self.inputRetries = 0
        self.createdAt = now
        self.updatedAt = now
    }

    /// The inputs, decoded.
    public var inputList: [JobInput] { JobRecord.decode([JobInput].self, inputs) ?? [] }

    static func encode<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(type, from: Data(text.utf8))
    }
}

/// One step of a job's history: the provenance that goes into its bag as events.json.
public struct JobEvent: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "events"

    /// Row id.
    public var id: Int64?
    /// The job.
    public var jobID: String
    /// When it happened.
    public var at: Date
    /// The stage (`claim`, `preflight`, `submit`, `poll`, `download`, `verify`, `archive`, `hold`, `fail`, ...).
    public var stage: String
    /// What came of it (`ok`, `failed`, `held`, `started`, ...).
    public var outcome: String
    /// Details a person can read.
    public var detail: String?

    /// Creates an event.
    public init(jobID: String, at: Date, stage: String, outcome: String, detail: String? = nil) {
        self.jobID = jobID
        self.at = at
        self.stage = stage
        self.outcome = outcome
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
