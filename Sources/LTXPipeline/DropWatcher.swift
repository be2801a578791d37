import LTXCore
import Foundation
import Synchronization
import LTXAPI
import LTXMedia

/// A file seen in the drop folder.
public struct DropFile: Sendable, Equatable {
    /// Its name in the drop folder.
    public var name: String
    /// Its role, by extension.
    public var role: JobInput.Role
    /// True when it is a symbolic link (never followed).
    public var isSymlink: Bool
}

/// A stem group (`NAME.*`) whose files have all been still for the settle time.
public struct DropGroup: Sendable, Equatable {
    /// The shared stem.
    public var stem: String
    /// Its files, sorted by name.
    public var files: [DropFile]
}

/// Scans the drop folder and reports stem groups once every file in them has stopped changing.
/// Polling works on network shares; a scan is cheap (one directory listing plus one lstat per file).
public final class DropWatcher: Sendable {
    private struct Memory {
        var seen: [String: (size: Int64, mtime: Double, stillSince: Double)] = [:]
        var groupSignatures: [String: (signature: [String], since: Double)] = [:]
        var waitingToSettle = false
    }

    /// The folder watched.
    public let folder: String
    private let settleSeconds: Double
    private let clock: PipelineClock
    private let memory = Mutex(Memory())
    /// True when the last scan saw files still settling (the caller should look again soon).
    public var waitingToSettle: Bool { memory.withLock { $0.waitingToSettle } }

    /// A watcher of `folder`; a group is ready after `settleSeconds` (nominal) without change.
    public init(folder: String, settleSeconds: Double, clock: PipelineClock) {
        self.folder = folder
        self.settleSeconds = settleSeconds
        self.clock = clock
    }

    /// Names never picked up: hidden files and partial downloads.
    public static func isIgnored(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || lower.hasSuffix(".part") || lower.hasSuffix(".tmp") || lower.hasSuffix(".crdownload")
            || lower.hasSuffix(".partial") || lower.hasSuffix(".download") || name.hasSuffix("~")
    }

    /// The role a file plays, by its extension.
    public static func role(of name: String) -> JobInput.Role {
        let ext = (name as NSString).pathExtension.lowercased()
        if ext == "txt" { return .prompt }
        if ext == "json" { return .sidecar }
        if InputKind.imageExtensions.contains(ext) { return .image }
        if InputKind.audioExtensions.contains(ext) { return .audio }
        return .unknown
    }

    /// The stem of a file name: everything before the last extension.
    public static func stem(of name: String) -> String {
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? name : stem
    }

    /// Lists the folder once and returns the groups that are settled now.
    public func scan() throws -> [DropGroup] {
        try memory.withLock { memory in try scan(&memory) }
    }

    private func scan(_ memory: inout Memory) throws -> [DropGroup] {
        let now = clock.now()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        var present: Set<String> = []
        var groups: [String: [DropFile]] = [:]
        var unsettledStems: Set<String> = []
        for name in names where !DropWatcher.isIgnored(name) {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            let isLink = type == S_IFLNK
            guard type == S_IFREG || isLink else { continue }
            present.insert(name)
            let size = Int64(info.st_size)
            let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            let stem = DropWatcher.stem(of: name)
            if let previous = memory.seen[name], previous.size == size, previous.mtime == mtime {
                if now - previous.stillSince < settleSeconds { unsettledStems.insert(stem) }
            } else {
                memory.seen[name] = (size, mtime, now)
                if settleSeconds > 0 { unsettledStems.insert(stem) }
            }
            groups[stem, default: []].append(DropFile(name: name, role: isLink ? .unknown : DropWatcher.role(of: name), isSymlink: isLink))
        }
        for name in memory.seen.keys where !present.contains(name) { memory.seen[name] = nil }
        var ready: [DropGroup] = []
        for (stem, files) in groups {
            let signature = files.map(\.name).sorted()
            if let previous = memory.groupSignatures[stem], previous.signature == signature {
                if now - previous.since < settleSeconds { unsettledStems.insert(stem) }
            } else {
                memory.groupSignatures[stem] = (signature, now)
                if settleSeconds > 0 { unsettledStems.insert(stem) }
            }
            if !unsettledStems.contains(stem) {
                ready.append(DropGroup(stem: stem, files: files.sorted { $0.name < $1.name }))
            }
        }
        for stem in memory.groupSignatures.keys where groups[stem] == nil { memory.groupSignatures[stem] = nil }
        memory.waitingToSettle = !unsettledStems.isEmpty
        return ready.sorted { $0.stem < $1.stem }
    }

    /// Forgets a group once it has been claimed.
    public func forget(_ group: DropGroup) {
        memory.withLock { memory in
            for file in group.files { memory.seen[file.name] = nil }
            memory.groupSignatures[group.stem] = nil
        }
    }
}
