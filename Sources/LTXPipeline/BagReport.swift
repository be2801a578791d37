/// The outcome of re-checking one bag's fixity.
public struct BagReport: Sendable, Codable, Equatable {
    /// The bag's folder.
    public var path: String
    /// True when nothing below was found: every checksum matches and the bag is well formed.
    public var valid: Bool
    /// Files (bag-relative, e.g. `data/video.mp4`, `bag-info.txt`) whose checksum does not match a manifest.
    public var damaged: [String]
    /// Files a manifest lists that are not in the bag.
    public var missing: [String]
    /// Files under `data/` that a payload manifest does not list.
    public var extra: [String]
    /// Everything else that is wrong, one sentence each (malformed `bagit.txt`, manifest lines, Payload-Oxum, ...).
    public var problems: [String]

    /// Creates a report; `valid` is derived from the lists.
    public init(path: String, damaged: [String] = [], missing: [String] = [], extra: [String] = [], problems: [String] = []) {
        self.path = path
        self.damaged = damaged
        self.missing = missing
        self.extra = extra
        self.problems = problems
        valid = damaged.isEmpty && missing.isEmpty && extra.isEmpty && problems.isEmpty
    }
}
