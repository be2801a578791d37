import Foundation

/// File names that begin with `-`: ArgumentParser reads `-shot.mp4` as the short flags `-s -h -o -t`, so
/// `ltxpipe probe -shot.mp4` would print help and exit 0 without probing anything. `--` ends the options
/// (`ltxpipe probe -- -shot.mp4`); without it such an argument is refused with a usage error (exit 2).
enum DashArguments {
    /// The usage error for `arguments` (without the program name), or nil when they can be parsed as they are.
    static func refusal(_ arguments: [String]) -> String? {
        for argument in arguments {
            if argument == "--" { return nil }
            guard looksLikeFile(argument) else { continue }
            let command = arguments.first.map { " " + $0 } ?? ""
            return "ltxpipe\(command): \(argument): a name starting with \"-\" is read as options; "
                + "to name the file write `ltxpipe\(command) -- \(argument)` or `./\(argument)`"
        }
        return nil
    }

    /// A single-dash argument that is a file name rather than a bundle of short flags: it exists, or it holds a
    /// `.` or `/` after a letter (flags never do; negative numbers such as `-0.5` start with a digit).
    static func looksLikeFile(_ argument: String) -> Bool {
        guard argument.count > 2, argument.hasPrefix("-"), !argument.hasPrefix("--") else { return false }
        let rest = argument.dropFirst()
        guard let first = rest.first, first.isLetter else { return false }
        var info = stat()
        return rest.contains(".") || rest.contains("/") || lstat(argument, &info) == 0
    }
}
