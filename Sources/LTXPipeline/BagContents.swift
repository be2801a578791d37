import Foundation

/// Everything that goes into one job's BagIt bag.
public struct BagContents: Sendable {
    /// A file placed in the bag's payload.
    public struct PayloadFile: Sendable, Equatable {
        /// Where the file is now.
        public var source: String
        /// Its path inside `data/` (e.g. `video.mp4`, `inputs/cat.png`, `inputs/preflight/cat.jpg`).
        public var name: String
        /// Move the file into the bag (rename, or copy + verify + remove across filesystems) instead of copying.
        public var move: Bool

        /// Creates a payload entry.
        public init(source: String, name: String, move: Bool) {
            self.source = source
            self.name = name
            self.move = move
        }
    }

    /// The job's id: the bag's folder name.
    public var jobID: String
    /// The day the bag is filed under (`archive/YYYY-MM-DD/JOB-ID/`), in UTC.
    public var date: Date
    /// Files for the payload: `video.mp4` and `inputs/...`.
    public var files: [PayloadFile]
    /// Small documents written into the payload: `request.json`, `response.json`, `verification.json`, `events.json`.
    public var documents: [String: Data]
    /// `bag-info.txt` fields in order (Bagging-Date and Payload-Oxum are added by the writer).
    public var info: [(String, String)]

    /// Creates the contents of a bag.
    public init(jobID: String, date: Date, files: [PayloadFile], documents: [String: Data], info: [(String, String)]) {
        self.jobID = jobID
        self.date = date
        self.files = files
        self.documents = documents
        self.info = info
    }
}
