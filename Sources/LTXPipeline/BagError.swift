/// Why a bag could not be written, worded so the user knows what to fix.
public struct BagError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Codable {
        /// A job id or payload name that is empty, hidden, absolute, or would leave its folder (`..`).
        case invalidName = "invalid-name"
        /// Two payload entries with the same name, or a name that is both a file and a folder.
        case duplicateName = "duplicate-name"
        /// A `bag-info.txt` label or value that cannot be written as BagIt requires.
        case invalidInfo = "invalid-info"
        /// A payload source that does not exist or is not a regular file.
        case sourceMissing = "source-missing"
        /// A file could not be read.
        case readFailed = "read-failed"
        /// A file or folder could not be written, synced or renamed.
        case writeFailed = "write-failed"
        /// A copy's SHA-256 differs from its source's: the copy was not trusted.
        case copyMismatch = "copy-mismatch"
    }

    /// The kind of problem.
    public let kind: Kind
    /// The file, folder or name it concerns.
    public let path: String
    /// One line saying what is wrong.
    public let reason: String

    /// Creates an error about `path`.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// `path: reason`, one line.
    public var description: String { "\(path): \(reason)" }
}
