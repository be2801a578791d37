import Foundation
import LTXCore

/// Recognises a full disk (or quota) in any error the stages meet: file operations, SQLite, bag writing, media
/// output, downloads. A full disk holds a job (`disk-full`) rather than failing it: nothing is wrong with the input.
enum DiskFull {
    private static let phrases = [String(cString: strerror(ENOSPC)), String(cString: strerror(EDQUOT)), "database or disk is full"]

    /// True when `error` says the disk or quota is full.
    static func matches(_ error: any Error) -> Bool {
        if let file = error as? DurableFileError { return file.isDiskFull }
        let text = "\(error)"
        return phrases.contains { text.localizedCaseInsensitiveContains($0) }
    }
}

extension JobReason {
    /// The disk (or quota) is full: the job resumes where it stood once room is made.
    public static let diskFull: JobReason = "disk-full"
    /// The job crashed or timed out the same stage too many times: quarantined in `failed/`.
    public static let poison: JobReason = "poison"
    /// An identical job (same inputs and parameters) is in flight: this one waits for it to end.
    public static let duplicateInFlight: JobReason = "duplicate-in-flight"
}
