import Foundation

/// SQLite refuses strings and blobs over its length limit, and GRDB treats a refused bind as a programming error
/// (a trap), so a row is checked before it is written: a text column over `maxTextBytes` is a typed `LedgerError`
/// naming the job and the column, never a crash. Inputs are capped long before this (prompts by the catalog, API
/// bodies by the HTTP layer); this is the last line.
enum LedgerLimits {
    /// Largest text stored in one column (well under SQLite's default 1,000,000,000-byte limit).
    static let maxTextBytes = 64 << 20

    /// The first column of `job` (or `event`) over the limit, if any.
    static func oversized(_ job: JobRecord?, _ event: JobEvent?) -> (column: String, bytes: Int)? {
        var columns: [(String, String?)] = []
        if let job {
            columns += [("name", job.name), ("detail", job.detail), ("response", job.response), ("video_url", job.videoURL),
                        ("prompt", job.parameters?.prompt), ("generation_id", job.generationID)]
            columns += job.inputs.map { ("inputs", $0.name) }
        }
        if let event { columns.append(("event detail", event.detail)) }
        for (column, text) in columns {
            if let count = text?.utf8.count, count > maxTextBytes { return (column, count) }
        }
        return nil
    }

    /// Throws when a column is over the limit.
    static func check(_ job: JobRecord?, _ event: JobEvent?, path: String) throws(LedgerError) {
        guard let (column, bytes) = oversized(job, event) else { return }
        throw LedgerError(path: path, message: "cannot record job \(job?.id ?? event?.jobID ?? "?"): its \(column) is \(bytes) bytes, over the ledger's \(maxTextBytes)-byte limit per value")
    }
}
