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
}

/// Files a failed job's inputs (and anything it produced) in `failed/NAME/` with `error.json`.
public enum FailedFolder {
    /// Moves `files` (source path, name) into a new folder under `root` named after `name`
    /// (`NAME`, `NAME-2`, ...) and writes `error.json`; returns the folder.
    /// `error.json` is written first, so a filing cut short by a crash is found again (by its job id) and finished
    /// in the same folder rather than split across two.
    public static func file(_ files: [(source: String, name: String)], name: String, note: FailureNote, root: String) throws(DurableFileError) -> String {
        let folder: String
        if let previous = existing(job: note.job, name: name, root: root) { folder = previous } else { folder = try reserve(name: name, root: root) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(note)) ?? Data("{}".utf8)
        try DurableFile.write(data, to: folder + "/error.json")
        for file in files {
            var info = stat()
            guard lstat(file.source, &info) == 0 else { continue }
            let target = folder + "/" + file.name
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard rename(file.source, target) == 0 else { throw DurableFileError("move to \(target)", file.source) }
            } else {
                try DurableFile.move(file.source, to: target)
            }
        }
        return folder
    }

    /// The folder a previous, interrupted filing of `job` started, if any.
    static func existing(job: String, name: String, root: String) -> String? {
        let base = name.isEmpty || name.hasPrefix(".") ? "job" : name
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0 == base || $0.hasPrefix(base + "-") }
        for candidate in candidates.sorted() {
            let folder = root + "/" + candidate
            guard let data = FileManager.default.contents(atPath: folder + "/error.json"),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            if object["job"] as? String == job { return folder }
        }
        return nil
    }

    /// A folder name under root not yet taken, created now.
    static func reserve(name: String, root: String) throws(DurableFileError) -> String {
        let base = name.isEmpty || name.hasPrefix(".") ? "job" : name
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            throw DurableFileError("create folder", root, code: EIO, detail: error.localizedDescription)
        }
        for n in 1...10_000 {
            let candidate = root + "/" + (n == 1 ? base : "\(base)-\(n)")
            if mkdir(candidate, 0o755) == 0 { return candidate }
            if errno != EEXIST {
                throw DurableFileError("create folder", candidate)
            }
        }
        throw DurableFileError("create folder", root, code: EEXIST, detail: "too many failed folders named \(base)")
    }
}
