import Foundation

/// A failed job as the dashboard lists it: where and why it failed, and where its files went.
public struct DashboardFailure: Sendable, Encodable, Equatable {
    /// The job's id.
    public var id: String
    /// The dropped group's name.
    public var name: String
    /// The stage it failed at.
    public var stage: String?
    /// The reason word (`verification-failed`, `duplicate-of ID`, ...).
    public var reason: String?
    /// The reason in a sentence.
    public var detail: String?
    /// Its folder under the pipeline's failed folder.
    public var failedFolder: String?
    /// When it failed.
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case id, name, stage, reason, detail, at
        case failedFolder = "failed_folder"
    }

    /// Every key present, `null` where nothing is known.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(stage, forKey: .stage)
        try container.encode(reason, forKey: .reason)
        try container.encode(detail, forKey: .detail)
        try container.encode(failedFolder, forKey: .failedFolder)
        try container.encode(DashboardJSON.time(at), forKey: .at)
    }
}
