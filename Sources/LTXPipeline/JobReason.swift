import GRDB

/// Why a job is failed or held: a short word a script can match (`uncertain-submit`, `budget`, `duplicate-of ID`...).
/// The error table and the drop conventions name new ones, so it is an open set of strings with the ones the
/// runner acts on named here.
public struct JobReason: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible,
    DatabaseValueConvertible {
    /// The word as stored and shown.
    public var rawValue: String

    /// Wraps a word.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a literal word.
    public init(stringLiteral value: String) { rawValue = value }

    /// A submit was sent and its answer never arrived: never re-sent unless the pipeline allows it.
    public static let uncertainSubmit: JobReason = "uncertain-submit"
    /// The job's estimate is over a budget.
    public static let budget: JobReason = "budget"
    /// A budget is set and the job's price is not known, so it cannot be enforced.
    public static let priceUnknown: JobReason = "price-unknown"
    /// The video could not be downloaded (yet).
    public static let downloadFailed: JobReason = "download-failed"
    /// The bag could not be written (yet).
    public static let archiveFailed: JobReason = "archive-failed"
    /// The delivered video is not what was paid for.
    public static let verificationFailed: JobReason = "verification-failed"
    /// The delivered video cannot be read at all.
    public static let unreadableVideo: JobReason = "unreadable-video"
    /// The generation is unknown to the API or its retention passed.
    public static let expired: JobReason = "expired"
    /// The dropped files disappeared before they could be claimed.
    public static let vanished: JobReason = "vanished"
    /// Identical inputs and parameters were archived as job `id`.
    public static func duplicate(of id: String) -> JobReason { JobReason(rawValue: "duplicate-of \(id)") }

    /// The word.
    public var description: String { rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JobReason? {
        String.fromDatabaseValue(dbValue).map(JobReason.init(rawValue:))
    }
}
