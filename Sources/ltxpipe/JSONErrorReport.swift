import Foundation

/// The error of a command run with `--json`, on stdout as one object: `{"error": MESSAGE, "file": FILE or null,
/// "exit_code": N}`. The exit code is the command's, unchanged (README, "Exit codes").
struct JSONErrorReport: Encodable {
    let error: String
    /// Encoded as `null` when the message names no file.
    @ExplicitNull var file: String?
    let exitCode: Int32

    /// Prints the report of `message`, naming the file it begins with when that is one of `arguments` or exists.
    static func print(message: String, exitCode: Int32, arguments: [String]) {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        Output.json(JSONErrorReport(error: text, file: file(in: text, arguments: arguments), exitCode: exitCode))
    }

    /// The file a message names first (`pipelines/x.yml:7: defaults.duration: ...` names `pipelines/x.yml`): the
    /// words before its first `: `, without a line number, when they are an argument of the command or a path on disk.
    static func file(in message: String, arguments: [String]) -> String? {
        var candidates: [String] = []
        for piece in message.components(separatedBy: ": ").dropLast().prefix(3) {
            var name = piece
            for prefix in ["ltxpipe ", "ltxpipe"] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
            while let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isNumber), colon != name.startIndex {
                name = String(name[..<colon])
            }
            candidates.append(name)
        }
        return candidates.first { name in
            guard !name.isEmpty else { return false }
            if FileManager.default.fileExists(atPath: name) { return true }
            return (name.contains(".") || name.contains("/")) && !name.contains(" ") && arguments.contains { $0 == name || $0.hasSuffix("/" + name) }
        }
    }
}
