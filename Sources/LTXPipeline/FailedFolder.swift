import Foundation
import LTXCore

/// What `error.json` in a failed group's folder says.
public struct FailureNote: Sendable, Codable, Equatable {
    /// The job's id.
    public var job: String
    /// The stage that failed (`claim`, `classify`, `preflight`, `submit`, `generate`, `download`, `verify`, `archive`).
    public var stage: String
    /// Short machine word.
    public var reason: String
    /// A sentence for a person.
    public var detail: String
    /// When it failed (ISO 8601).
    public var time: String
    /// Generation id, when one was made.
    public var generationID: String?
    /// When `ltxpipe retry` sent the job back into the pipeline (ISO 8601); the folder then only documents that
    /// earlier attempt (its video, its report) and a later failure of the job is filed anew.
    public var retried: String? = nil
}

/// Files a failed job's inputs (and anything it produced) in `failed/NAME/` with `error.json`.
///
/// A filing is atomic: `error.json` and the files go into a hidden staging folder (`failed/.filing-JOB`), which is
/// renamed to its final name only once complete. A filing cut short (a crash, a full disk) leaves only the hidden
/// staging folder, which the next attempt for the same job finishes; `failed/` never holds a folder without
/// `error.json`.
public enum FailedFolder {
    /// Moves `files` (source path, name) into a new folder under `root` named after `name`
    /// (`NAME`, `NAME-2`, ...) with `error.json`; returns the folder.
    public static func file(_ files: [(source: String, name: String)], name: String, note: FailureNote, root: String) throws(DurableFileError) -> String {
        if let previous = existing(job: note.job, name: name, root: root) { return previous }
        let staging = try stage(note: note, root: root)
        for file in files {
            var info = stat()
            guard lstat(file.source, &info) == 0 else { continue }
            let target = staging + "/" + file.name
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard rename(file.source, target) == 0 else { throw DurableFileError("move to \(target)", file.source) }
            } else {
                try DurableFile.move(file.source, to: target)
            }
        }
        return try publish(staging, name: name, root: root)
    }

    /// Files one drop-folder entry given by its raw byte path (any type: FIFO, socket, device, folder, or a name
    /// that is not UTF-8) by renaming it, never opening it. Across file systems the rename fails and the entry
    /// stays where it is (the error says so).
    public static func fileEntry(rawSource: [UInt8], as entryName: String, name: String, note: FailureNote, root: String) throws(DurableFileError) -> String {
        if let previous = existing(job: note.job, name: name, root: root) { return previous }
        let staging = try stage(note: note, root: root)
        let target = staging + "/" + entryName
        let moved = rawSource.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { buffer in buffer.baseAddress.map { rename($0, target) } ?? -1 }
        }
        guard moved == 0 else {
            let code = errno
            let display = entryName
            rmdirStaging(staging)
            throw DurableFileError("move to \(root)", display, code: code)
        }
        return try publish(staging, name: name, root: root)
    }

    /// The hidden folder a filing of `note.job` is assembled in, with `error.json` written.
    static func stage(note: FailureNote, root: String) throws(DurableFileError) -> String {
        try DurableFile.makeParent(of: root + "/.")
        let staging = root + "/.filing-" + safe(note.job)
        if mkdir(staging, 0o755) != 0 && errno != EEXIST { throw DurableFileError("create folder", staging) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(note)) ?? Data("{}".utf8)
        try DurableFile.write(data, to: staging + "/error.json")
        return staging
    }

    /// Renames the complete staging folder to the first free `NAME`, `NAME-2`, ... under `root`.
    static func publish(_ staging: String, name: String, root: String) throws(DurableFileError) -> String {
        let base = baseName(name)
        for n in 1...10_000 {
            let candidate = root + "/" + (n == 1 ? base : "\(base)-\(n)")
            var info = stat()
            if lstat(candidate, &info) == 0 { continue }
            if rename(staging, candidate) == 0 {
                try DurableFile.syncParent(of: candidate)
                return candidate
            }
            if errno != EEXIST && errno != ENOTEMPTY { throw DurableFileError("rename to \(candidate)", staging) }
        }
        throw DurableFileError("rename", staging, code: EEXIST, detail: "too many failed folders named \(base)")
    }

    private static func rmdirStaging(_ staging: String) {
        unlink(staging + "/error.json")
        rmdir(staging)
    }

    /// The folder name for a group: the name itself unless it is empty, hidden, or holds a path separator.
    static func baseName(_ name: String) -> String {
        name.isEmpty || name.hasPrefix(".") || name.contains("/") ? "job" : name
    }

    private static func safe(_ id: String) -> String {
        String(id.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_" })
    }

    /// The folder a previous filing of `job` completed, if any.
    static func existing(job: String, name: String, root: String) -> String? {
        let base = baseName(name)
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0 == base || $0.hasPrefix(base + "-") }
        for candidate in candidates.sorted() {
            let folder = root + "/" + candidate
            guard let data = FileManager.default.contents(atPath: folder + "/error.json"),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            if object["job"] as? String == job && object["retried"] == nil { return folder }
        }
        return nil
    }
}
