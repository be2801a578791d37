import Foundation
import GRDB
import LTXAPI
import LTXGeneration
import LTXMedia

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

/// One job's row in the ledger: everything needed to resume it after a crash and to file it afterwards. Structured
/// columns are stored by GRDB as JSON text (snake_case keys, as earlier versions wrote them), so rows need no
/// migration and a row that does not decode is an error naming the ledger, never a silent default.
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
    /// Why it failed or is held.
    public var reason: JobReason?
    /// A sentence of detail for `reason`.
    public var detail: String?
    /// The state to go back to when a hold is lifted.
    public var resumeState: JobState?
    /// The generation parameters, once classified.
    public var parameters: GenerationParameters?
    /// The input files.
    public var inputs: [JobInput]
    /// SHA-256 over the inputs' digests and the parameters: identical drops have identical fingerprints.
    public var fingerprint: String?
    /// The sidecar asked to generate even if an identical job was archived.
    public var force: Bool
    /// What preflight decided: the files to send and the reports.
    public var preflight: PreparedInputs?
    /// Set (write-ahead) just before a submit is sent; with no generation id afterwards the outcome is unknown.
    public var submitStartedAt: Date?
    /// The API's generation id, written the moment it is known.
    public var generationID: String?
    /// `x-request-id`s of the calls made for this job.
    public var requestIDs: [String]
    /// Price-table estimate in USD (nil when a price is unknown).
    public var estimatedCost: Double?
    /// What the API charged.
    public var cost: Double?
    /// What earlier attempts of this job were charged (or estimated to be) before `ltxpipe retry` sent it again.
    public var priorCost: Double?
    /// The result's URL.
    public var videoURL: String?
    /// The last status response body.
    public var response: String?
    /// The downloaded video's SHA-256.
    public var videoSHA256: String?
    /// The verification report.
    public var verification: VerificationReport?
    /// The bag's folder, once archived.
    public var bag: String?
    /// Where a failed job's files went.
    public var failedFolder: String?
    /// The stage a failed job failed at.
    public var failedStage: JobStage?
    /// Times a rejected input was re-encoded and resubmitted (413/422).
    public var inputRetries: Int
    /// The provider (`api.providers`, by protocol name) the job is routed to; nil before routing, and for ledgers
    /// written before providers were chosen (the pipeline's only provider).
    public var provider: String?
    /// The provider of each submit sent for this job, in order (the write-ahead intent of each attempt).
    public var providerAttempts: [String]?
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
        self.inputs = inputs
        self.force = false
        self.requestIDs = []
        self.inputRetries = 0
        self.createdAt = now
        self.updatedAt = now
    }

    /// Everything this job has cost: the current attempt's charge plus earlier attempts'.
    public var totalCost: Double? {
        guard cost != nil || priorCost != nil else { return nil }
        return (cost ?? 0) + (priorCost ?? 0)
    }

    /// The generation as the ledger knows it (id, URL, cost, last response).
    public var generationStatus: GenerationStatus? {
        guard let generationID else { return nil }
        let state: GenerationStatus.State = videoURL != nil ? .completed : .processing
        return GenerationStatus(id: generationID, state: state, videoURL: videoURL, cost: cost, responseBody: response ?? "")
    }

    public static func databaseJSONEncoder(for column: String) -> JSONEncoder { LedgerJSON.encoder() }

    public static func databaseJSONDecoder(for column: String) -> JSONDecoder { LedgerJSON.decoder() }
}

/// The JSON conventions of the ledger's structured columns and of the documents written from them.
enum LedgerJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `value` as JSON text in the ledger's conventions.
    static func text<T: Encodable>(_ value: T) -> String? {
        (try? encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
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
    /// The stage.
    public var stage: JobStage
    /// What came of it (`ok`, `failed`, `held`, `started`, ...).
    public var outcome: String
    /// Details a person can read.
    public var detail: String?

    /// Creates an event.
    public init(jobID: String, at: Date, stage: JobStage, outcome: String, detail: String? = nil) {
        self.jobID = jobID
        self.at = at
        self.stage = stage
        self.outcome = outcome
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
