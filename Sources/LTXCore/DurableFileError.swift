import Foundation

/// A file operation that failed, naming the path and giving the C library's text for `errno`.
public struct DurableFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being done (`open`, `read`, `write`, `fsync`, `rename`, `copy`, ...).
    public var operation: String
    /// The path it was done to.
    public var path: String
    /// The `errno` value (0 when the failure was not a system call's).
    public var code: Int32
    /// Extra words, when the failure is not a system call's.
    public var detail: String?

    /// Captures the current `errno`.
    public init(_ operation: String, _ path: String, code: Int32 = errno, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.code = code
        self.detail = detail
    }

    /// True when the disk (or the user's quota) is full: the work can resume once room is made.
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    /// The C library's text for `code`, or the detail.
    public var message: String { detail ?? String(cString: strerror(code)) }

    /// `path: cannot OPERATION (message)`.
    public var description: String { "\(DisplayText.escaped(path)): cannot \(operation) (\(message))" }
}
