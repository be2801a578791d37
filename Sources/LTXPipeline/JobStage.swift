import GRDB

/// The step of a job an event or a failure belongs to.
public enum JobStage: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case detect, claim, classify, preflight, submit, generate, download, verify, archive, hold, fail, resume
}
