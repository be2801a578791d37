import Foundation

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
    public static func file(_ files: [(source: String, name: String)], name: String, note: FailureNote, root: String) throws(FileMover.Failure) -> String {
        let folder = try reserve(name: name, root: root)
        for file in files where FileManager.default.fileExists(atPath: file.source) {
            try FileMover.move(file.source, to: folder + "/" + file.name)
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(note)) ?? Data("{}".utf8)
        try FileMover.write(data, to: folder + "/error.json")
        return folder
    }

    /// A folder name under root not yet taken, created now.
    static func reserve(name: String, root: String) throws(FileMover.Failure) -> String {
        let base = name.isEmpty || name.hasPrefix(".") ? "job" : name
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            throw FileMover.Failure(description: "\(root): cannot create folder (\(error.localizedDescription))")
        }
        for n in 1...10_000 {
            let candidate = root + "/" + (n == 1 ? base : "\(base)-\(n)")
            if mkdir(candidate, 0o755) == 0 { return candidate }
            if errno != EEXIST {
                throw FileMover.Failure(description: "\(candidate): cannot create folder (\(String(cString: strerror(errno))))")
            }
        }
        throw FileMover.Failure(description: "\(root): too many failed folders named \(base)")
    }
}
