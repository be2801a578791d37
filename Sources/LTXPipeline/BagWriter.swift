import Foundation

/// Writes one job's BagIt 1.0 bag (RFC 8493) into the archive, atomically: it is assembled under a hidden
/// temporary name, every file and folder flushed to disk, and renamed into place only when complete.
public enum BagWriter {
    /// Writes `contents` as `archiveRoot/YYYY-MM-DD/JOB-ID/` (UTC date of `contents.date`) and returns it.
    ///
    /// - `data/` receives `contents.files` (moved when `move` is set: renamed on the same filesystem, else
    ///   copied, flushed, checked by SHA-256 and only then removed; copied otherwise) and `contents.documents`.
    /// - `bagit.txt`, `manifest-sha256.txt`, `bag-info.txt` (`contents.info` in order, then `Bagging-Date`
    ///   and `Payload-Oxum`; line breaks in values folded onto indented lines) and `tagmanifest-sha256.txt`.
    /// - When `JOB-ID` already exists it is never overwritten: if it is a valid bag of the same payload names
    ///   (a crash after the rename, then a re-run) it is returned as it is; otherwise the bag goes to `JOB-ID-2`, `-3`, ...
    /// - Files a crashed earlier run had already moved into its temporary folder are taken from there.
    /// - On failure nothing is left in the archive and moved files are put back where they came from.
    ///
    /// Throws `BagError` before touching anything when a name would escape `data/` (`..`, absolute, empty
    /// component), two entries share a name, or a `bag-info.txt` label is malformed.
    public static func write(_ contents: BagContents, archiveRoot: String) throws(BagError) -> Bag {
        try write(contents, archiveRoot: archiveRoot, allowRename: true)
    }

    /// `allowRename: false` moves by copy + check + remove even on one filesystem (to exercise that path).
    static func write(_ contents: BagContents, archiveRoot: String, allowRename: Bool) throws(BagError) -> Bag {
        let plan = try BagPlan(contents)
        let dayFolder = BagFileSystem.join(archiveRoot, BagText.day(contents.date))
        do {
            let created = try BagFileSystem.makeDirectories(dayFolder)
            for folder in created.reversed() { try BagFileSystem.sync(BagFileSystem.parent(folder)) }
        } catch {
            throw BagError(.writeFailed, path: dayFolder, reason: "cannot create the archive folder (\(error.message))")
        }

        if let existing = existingBag(plan, in: dayFolder) { return existing }

        let temporary = BagFileSystem.join(dayFolder, ".\(contents.jobID).tmp-\(getpid())")
        let stale = staleTemporaries(of: contents.jobID, in: dayFolder)
        if BagFileSystem.kind(temporary) != .none {
            // Our own pid's leftover (a pid reused after a crash): no process is writing it.
            try recoverAndRemove(temporary, plan: plan)
        }
        var assembly = BagAssembly(root: temporary, plan: plan, allowRename: allowRename, recoverFrom: stale)
        do throws(BagError) {
            try assembly.build()
            let final = try claimFinalName(plan, in: dayFolder)
            if let reused = final.reused {
                try assembly.rollBack()
                return reused
            }
            guard rename(temporary, final.path) == 0 else {
                let failure = BagIOFailure("rename", final.path)
                rmdir(final.path)
                throw BagError(.writeFailed, path: final.path, reason: "cannot rename the finished bag into place (\(failure.message))")
            }
            do { try BagFileSystem.sync(dayFolder) } catch {
                throw BagError(.writeFailed, path: dayFolder, reason: "bag renamed into place but the folder cannot be flushed (\(error.message))")
            }
            for folder in stale { removeIfAccountedFor(folder, plan: plan) }
            return Bag(path: final.path, payloadOxum: assembly.payloadOxum, files: assembly.files)
        } catch {
            if BagFileSystem.kind(temporary) == .directory {
                do { try assembly.rollBack() } catch let rollback {
                    throw BagError(error.kind, path: error.path, reason: error.reason + "; moved files could not all be put back and remain in \(temporary) (\(rollback.reason))")
                }
            }
            throw error
        }
    }

    /// A valid bag of the same payload names already at `JOB-ID` (or a numbered sibling), if any.
    private static func existingBag(_ plan: BagPlan, in dayFolder: String) -> Bag? {
        for name in plan.candidateNames() {
            let path = BagFileSystem.join(dayFolder, name)
            if BagFileSystem.kind(path) == .none { return nil }
            if let bag = matchingBag(at: path, plan: plan) { return bag }
        }
        return nil
    }

    private static func matchingBag(at path: String, plan: BagPlan) -> Bag? {
        guard BagFileSystem.kind(path) == .directory, BagVerifier.verify(bag: path).valid,
              let bag = BagVerifier.describe(bag: path),
              Set(bag.files.map(\.path)) == Set(plan.names.map { "data/" + $0 }) else { return nil }
        return bag
    }

    /// Reserves the first free name (`JOB-ID`, `JOB-ID-2`, ...) by creating it as an empty folder that the
    /// finished bag then replaces atomically; or returns a valid matching bag found there instead.
    private static func claimFinalName(_ plan: BagPlan, in dayFolder: String) throws(BagError) -> (path: String, reused: Bag?) {
        for name in plan.candidateNames() {
            let path = BagFileSystem.join(dayFolder, name)
            if BagFileSystem.kind(path) == .directory {
                if let bag = matchingBag(at: path, plan: plan) { return (path, bag) }
                // An empty folder is a claim left by a crash between claiming and renaming: take it over.
                if rmdir(path) != 0 { continue }
            }
            if mkdir(path, 0o755) == 0 { return (path, nil) }
            if errno != EEXIST {
                throw BagError(.writeFailed, path: path, reason: "cannot create the bag folder (\(BagIOFailure("mkdir", path).message))")
            }
        }
        throw BagError(.writeFailed, path: BagFileSystem.join(dayFolder, plan.jobID), reason: "every name from \(plan.jobID) to \(plan.jobID)-\(BagPlan.maxSuffix) is taken")
    }

    /// Temporary folders of the same job left by processes that are no longer running.
    private static func staleTemporaries(of jobID: String, in dayFolder: String) -> [String] {
        let prefix = ".\(jobID).tmp-"
        guard let names = try? BagFileSystem.entries(dayFolder) else { return [] }
        return names.compactMap { name -> String? in
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { return nil }
            if kill(pid, 0) == 0 || errno == EPERM { return nil }
            let path = BagFileSystem.join(dayFolder, name)
            return BagFileSystem.kind(path) == .directory ? path : nil
        }
    }

    /// Puts payload files a previous run moved into `folder` back where they came from, then removes it.
    private static func recoverAndRemove(_ folder: String, plan: BagPlan) throws(BagError) {
        for file in plan.files where file.move && BagFileSystem.kind(file.source) == .none {
            let parked = BagFileSystem.join(folder, "data/" + file.name)
            guard case .file = BagFileSystem.kind(parked) else { continue }
            do { _ = try BagPlacement.move(parked, to: file.source, allowRename: true) } catch {
                throw BagError(error.kind, path: error.path, reason: "cannot recover a file an interrupted run left in \(folder): \(error.reason)")
            }
        }
        removeIfAccountedFor(folder, plan: plan)
        if BagFileSystem.kind(folder) != .none {
            throw BagError(.writeFailed, path: folder, reason: "an interrupted run left files here that this job does not name; move them away and retry")
        }
    }

    /// Removes a leftover temporary folder when every payload file in it is one this job names (so nothing
    /// in it can be the only copy of something else); otherwise leaves it for a person to look at.
    private static func removeIfAccountedFor(_ folder: String, plan: BagPlan) {
        let data = BagFileSystem.join(folder, "data")
        let names = Set(plan.names)
        if BagFileSystem.kind(data) == .directory {
            guard let entries = try? BagFileSystem.walk(data, prefix: "") else { return }
            for entry in entries where !names.contains(entry.path) { return }
        }
        BagFileSystem.removeTree(folder)
    }
}

/// The validated shape of a bag: safe names, tag lines, where each payload entry comes from.
struct BagPlan {
    /// Highest numbered sibling tried (`JOB-ID-<n>`) before giving up.
    static let maxSuffix = 99

    let jobID: String
    let files: [BagContents.PayloadFile]
    let documents: [(name: String, data: Data)]
    let info: [(String, String)]
    let baggingDate: String

    /// Every payload name (files and documents).
    var names: [String] { files.map(\.name) + documents.map(\.name) }

    init(_ contents: BagContents) throws(BagError) {
        if let problem = BagText.jobIDProblem(contents.jobID) {
            throw BagError(.invalidName, path: contents.jobID, reason: problem)
        }
        let documents = contents.documents.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { (name: $0.key, data: $0.value) }
        var seen: Set<String> = []
        for name in contents.files.map(\.name) + documents.map(\.name) {
            if let problem = BagText.payloadNameProblem(name) { throw BagError(.invalidName, path: name, reason: problem) }
            guard seen.insert(name).inserted else {
                throw BagError(.duplicateName, path: name, reason: "two payload entries are both named data/\(name)")
            }
        }
        for name in seen {
            var folder = name
            while let slash = folder.lastIndex(of: "/") {
                folder = String(folder[..<slash])
                if seen.contains(folder) {
                    throw BagError(.duplicateName, path: folder, reason: "data/\(folder) is named both as a file and as the folder of data/\(name)")
                }
            }
        }
        for (label, _) in contents.info {
            if let problem = BagText.labelProblem(label) { throw BagError(.invalidInfo, path: "bag-info.txt", reason: problem) }
            if label == "Payload-Oxum" || label == "Bagging-Date" {
                throw BagError(.invalidInfo, path: "bag-info.txt", reason: "\(label) is written by the bag writer; remove it from the job's bag-info fields")
            }
        }
        jobID = contents.jobID
        files = contents.files
        self.documents = documents
        info = contents.info
        baggingDate = BagText.day(contents.date)
    }

    /// `JOB-ID`, `JOB-ID-2`, ... `JOB-ID-99`.
    func candidateNames() -> [String] {
        [jobID] + (2...Self.maxSuffix).map { "\(jobID)-\($0)" }
    }
}

/// Assembles a bag inside its temporary folder and can undo that, returning moved files to their sources.
struct BagAssembly {
    let root: String
    let plan: BagPlan
    let allowRename: Bool
    /// Temporary folders of crashed runs, where a moved source may now sit.
    let recoverFrom: [String]

    private(set) var files: [Bag.File] = []
    private(set) var payloadOxum = "0.0"
    /// Payload files moved in, with where each came from: undone by `rollBack`.
    private var moved: [(bagPath: String, source: String)] = []
    private var folders: [String] = []

    init(root: String, plan: BagPlan, allowRename: Bool, recoverFrom: [String]) {
        self.root = root
        self.plan = plan
        self.allowRename = allowRename
        self.recoverFrom = recoverFrom
    }

    /// Writes everything into `root` and flushes it.
    mutating func build() throws(BagError) {
        try makeFolder(root)
        try makeFolder(BagFileSystem.join(root, "data"))
        for file in plan.files { try place(file) }
        for document in plan.documents {
            let path = try prepare(document.name)
            do { try BagFileSystem.writeNewFile(document.data, to: path) } catch {
                throw BagError(.writeFailed, path: path, reason: "cannot write data/\(document.name) (\(error.message))")
            }
            files.append(Bag.File(path: "data/" + document.name, size: Int64(document.data.count), sha256: BagFileSystem.sha256(document.data)))
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }

        let octets = files.reduce(Int64(0)) { $0 + $1.size }
        payloadOxum = "\(octets).\(files.count)"
        let manifest = files.map { "\($0.sha256)  \(BagText.encodePath($0.path))\n" }.joined()
        var info = plan.info.map { BagText.infoLine($0.0, $0.1) }.joined()
        info += BagText.infoLine("Bagging-Date", plan.baggingDate)
        info += BagText.infoLine("Payload-Oxum", payloadOxum)

        var tagLines = ""
        for (name, text) in [("bagit.txt", BagText.declaration), ("bag-info.txt", info), ("manifest-sha256.txt", manifest)] {
            let data = Data(text.utf8)
            try writeTagFile(name, data)
            tagLines += "\(BagFileSystem.sha256(data))  \(name)\n"
        }
        try writeTagFile("tagmanifest-sha256.txt", Data(tagLines.utf8))

        for folder in folders.reversed() {
            do { try BagFileSystem.sync(folder) } catch {
                throw BagError(.writeFailed, path: folder, reason: "cannot flush the folder to disk (\(error.message))")
            }
        }
    }

    /// Moves payload files back to their sources and removes `root`; throws when a file cannot be put back
    /// (then `root` is left in place, holding it).
    mutating func rollBack() throws(BagError) {
        var failures: [String] = []
        for entry in moved.reversed() {
            if BagFileSystem.kind(entry.bagPath) == .none { continue }  // never arrived (the move failed first)
            if BagFileSystem.kind(entry.source) != .none {
                failures.append("\(entry.source) exists again, so \(entry.bagPath) was not moved back over it")
                continue
            }
            do { _ = try BagPlacement.move(entry.bagPath, to: entry.source, allowRename: true) } catch {
                failures.append(error.description)
            }
        }
        moved = []
        guard failures.isEmpty else {
            throw BagError(.writeFailed, path: root, reason: failures.joined(separator: "; "))
        }
        BagFileSystem.removeTree(root)
    }

    private mutating func makeFolder(_ path: String) throws(BagError) {
        guard mkdir(path, 0o755) == 0 else {
            throw BagError(.writeFailed, path: path, reason: "cannot create folder (\(BagIOFailure("mkdir", path).message))")
        }
        folders.append(path)
    }

    /// Creates the folders above `data/<name>` and returns its full path.
    private mutating func prepare(_ name: String) throws(BagError) -> String {
        var folder = BagFileSystem.join(root, "data")
        let components = name.split(separator: "/").map(String.init)
        for component in components.dropLast() {
            folder = BagFileSystem.join(folder, component)
            if BagFileSystem.kind(folder) != .directory { try makeFolder(folder) }
        }
        return BagFileSystem.join(root, "data/" + name)
    }

    private mutating func place(_ file: BagContents.PayloadFile) throws(BagError) {
        var source = file.source
        var move = file.move
        if BagFileSystem.kind(source) == .none, let parked = parkedCopy(of: file.name) {
            source = parked
            move = true
        }
        let destination = try prepare(file.name)
        let result: (hex: String, size: Int64)
        if move {
            // Recorded first: a failure after the rename (flush, hash) must still put the file back.
            moved.append((destination, source))
            result = try BagPlacement.move(source, to: destination, allowRename: allowRename)
        } else {
            result = try BagPlacement.copy(source, to: destination)
        }
        files.append(Bag.File(path: "data/" + file.name, size: result.size, sha256: result.hex))
    }

    /// The same payload name inside a crashed run's temporary folder.
    private func parkedCopy(of name: String) -> String? {
        for folder in recoverFrom {
            let path = BagFileSystem.join(folder, "data/" + name)
            if case .file = BagFileSystem.kind(path) { return path }
        }
        return nil
    }

    private func writeTagFile(_ name: String, _ data: Data) throws(BagError) {
        let path = BagFileSystem.join(root, name)
        do { try BagFileSystem.writeNewFile(data, to: path) } catch {
            throw BagError(.writeFailed, path: path, reason: "cannot write \(name) (\(error.message))")
        }
    }
}

/// Moving and copying one payload file, with its SHA-256 taken from what is actually on disk.
enum BagPlacement {
    /// Checks that `source` is a regular file (a symbolic link is refused, never followed).
    static func checkSource(_ source: String) throws(BagError) {
        switch BagFileSystem.kind(source) {
        case .file: return
        case .none: throw BagError(.sourceMissing, path: source, reason: "payload file does not exist")
        case .symlink: throw BagError(.sourceMissing, path: source, reason: "payload file is a symbolic link; only regular files are archived")
        case .directory, .other: throw BagError(.sourceMissing, path: source, reason: "payload source is not a regular file")
        }
    }

    /// Copies `source` to a new file `destination`, flushes it, and re-reads the copy: its SHA-256 must equal the source's.
    static func copy(_ source: String, to destination: String) throws(BagError) -> (hex: String, size: Int64) {
        try checkSource(source)
        let original: (hex: String, size: Int64)
        do { original = try BagFileSystem.copyNewFile(from: source, to: destination) } catch {
            let kind: BagError.Kind = error.path == source ? .readFailed : .writeFailed
            throw BagError(kind, path: error.path, reason: "cannot copy \(source) into the bag (\(error.description))")
        }
        let copied: (hex: String, size: Int64)
        do { copied = try BagFileSystem.digest(of: destination) } catch {
            unlink(destination)
            throw BagError(.readFailed, path: destination, reason: "cannot read back the copy (\(error.message))")
        }
        guard copied == original else {
            unlink(destination)
            throw BagError(.copyMismatch, path: source, reason: "the copy's SHA-256 differs from the source's; the source was left in place")
        }
        return copied
    }

    /// Renames `source` to `destination` (same filesystem), else copies, checks and removes the source.
    static func move(_ source: String, to destination: String, allowRename: Bool) throws(BagError) -> (hex: String, size: Int64) {
        try checkSource(source)
        if allowRename {
            if BagFileSystem.kind(destination) != .none {
                throw BagError(.writeFailed, path: destination, reason: "something is already there; nothing was overwritten")
            }
            if rename(source, destination) == 0 {
                do {
                    try BagFileSystem.sync(destination)
                    try BagFileSystem.sync(BagFileSystem.parent(source))
                    return try BagFileSystem.digest(of: destination)
                } catch {
                    throw BagError(.readFailed, path: error.path, reason: "moved, but cannot flush or read it (\(error.message))")
                }
            }
            guard errno == EXDEV else {
                throw BagError(.writeFailed, path: destination, reason: "cannot move \(source) here (\(BagIOFailure("rename", source).message))")
            }
        }
        let result = try copy(source, to: destination)
        guard unlink(source) == 0 else {
            let failure = BagIOFailure("unlink", source)
            unlink(destination)
            throw BagError(.writeFailed, path: source, reason: "copied, but cannot remove the original (\(failure.message)); it was left in place")
        }
        try? BagFileSystem.sync(BagFileSystem.parent(source))
        return result
    }
}
