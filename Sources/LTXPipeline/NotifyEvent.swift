/// A job event a pipeline's `notify.on` may name.
public enum NotifyEvent: String, Sendable, Codable, CaseIterable {
    /// The job's bag was written to the archive.
    case archived
    /// The job failed; its files were filed in the failed folder.
    case failed
    /// The job was held (credits, budget, an uncertain submit, a full disk) and waits for the user or the account.
    case held
}
