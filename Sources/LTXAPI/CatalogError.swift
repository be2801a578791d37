/// Why a catalog or catalog override file cannot be used: which file, which line, which key, and what to change.
///
/// `description` is one line in the compiler's style (`catalogs/ltx-v2.yml:12: models.ltx-2-3-fast.fps: ...`),
/// or without a line when the problem has no place in a file (no catalog found, an unreadable file).
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the caller named it; empty when no file is involved.
    public var file: String
    /// The 1-based line of the problem, when it has one.
    public var line: Int?
    /// The dotted key at fault (`models.ltx-2-3-fast.prices.1080p`), or empty.
    public var key: String
    /// What is wrong and what is allowed.
    public var message: String

    /// Creates an error.
    public init(file: String = "", line: Int? = nil, key: String = "", message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`, leaving out the parts that are unknown.
    public var description: String {
        var parts: [String] = []
        if !file.isEmpty { parts.append(line.map { "\(file):\($0)" } ?? file) }
        if !key.isEmpty { parts.append(key) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A place in a catalog file.
struct CatalogLocation: Sendable, Equatable {
    /// The file as named by the caller.
    var file: String
    /// The 1-based line, when known.
    var line: Int?
}
