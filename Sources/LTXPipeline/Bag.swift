/// A bag written (or found complete) in the archive.
public struct Bag: Sendable, Codable, Equatable {
    /// One payload file of the bag.
    public struct File: Sendable, Codable, Equatable {
        /// Its path inside the bag, as the manifest names it once decoded (e.g. `data/video.mp4`).
        public var path: String
        /// Its size in bytes.
        public var size: Int64
        /// Its SHA-256, lowercase hex.
        public var sha256: String

        /// Describes one payload file.
        public init(path: String, size: Int64, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    /// The bag's folder (`ARCHIVE/YYYY-MM-DD/JOB-ID`, or `JOB-ID-2`… when that name was taken).
    public var path: String
    /// `Payload-Oxum`: payload bytes and file count, `<octets>.<count>`.
    public var payloadOxum: String
    /// Every payload file, sorted by path.
    public var files: [File]

    /// Describes a bag.
    public init(path: String, payloadOxum: String, files: [File]) {
        self.path = path
        self.payloadOxum = payloadOxum
        self.files = files
    }
}
