/// Why a pipeline file could not be used: which file, which line, which key, and what to change.
///
/// `description` is one line in the compiler's style, so editors and terminals can jump to the spot:
/// `pipelines/x.yml:7: defaults.duration: duration 30 is outside 6–10 for ltx-2-pro`, or without a line when the
/// problem has no place in the file: `pipelines/x.yml: missing required key "archive"`.
public struct PipelineFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline file, as the caller named it (relative paths stay relative, so messages read as typed).
    public var file: String
    /// The 1-based line the problem is on, when it has one (a missing top-level key or an unreadable file has none).
    public var line: Int?
    /// The dotted key path at fault (`api.limits.in_flight`), or empty when no key is involved (YAML syntax, file access).
    public var key: String
    /// What is wrong and what is allowed: the text after `file:line: `, one line.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: message`, or `file: message` when there is no line.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
