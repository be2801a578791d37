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
///
/// Names are compared as the bytes the file system holds, never as Swift strings: `String` equality is Unicode
/// canonical equivalence, so `é` (U+00E9) and `e` + U+0301 would be one key and two files would overwrite each
/// other's entries for ever. Entries that cannot be a job (FIFOs, sockets, devices, folders, names that are not
/// UTF-8) are reported as `StrayEntry` values once still, so each ends somewhere.
public final class DropWatcher: Sendable {
    private struct Seen {
        var size: Int64
        var mtime: Double
        var stillSince: Double
    }

    private struct Memory {
        var seen: [[UInt8]: Seen] = [:]
        var groupSignatures: [[UInt8]: (signature: [[UInt8]], since: Double)] = [:]
        /// Entries handed out that are still in the folder (claims that failed, strays that could not be moved):
        /// never handed out again by this watcher while they stay unchanged.
        var parked: [[UInt8]: StrayEntry.Identity] = [:]
        var waitingToSettle = false
        var strays: [StrayEntry] = []
    }

    /// The folder watched.
    public let folder: String
    private let settleSeconds: Double
    private let clock: PipelineClock
    private let memory = Mutex(Memory())
    private let writers: @Sendable (_ device: UInt64, _ inode: UInt64) -> Bool
    /// True when the last scan saw files still settling (the caller should look again soon).
    public var waitingToSettle: Bool { memory.withLock { $0.waitingToSettle } }

    /// A watcher of `folder`; a group is ready after `settleSeconds` (nominal) without change and while no process
    /// holds one of its files open for writing (`writers`, by default a look through `/proc`).
    public init(folder: String, settleSeconds: Double, clock: PipelineClock,
                writers: @escaping @Sendable (_ device: UInt64, _ inode: UInt64) -> Bool = OpenWriters.isOpenForWriting) {
        self.folder = folder
        self.settleSeconds = settleSeconds
        self.clock = clock
        self.writers = writers
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
        String(decoding: stemBytes(of: Array(name.utf8)), as: UTF8.self)
    }

    /// The stem as bytes: everything before the last `.` that is neither first nor last.
    static func stemBytes(of name: [UInt8]) -> [UInt8] {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < name.count - 1 else { return name }
        return Array(name[..<dot])
    }

    /// Lists the folder once and returns the groups that are settled now; entries that cannot be jobs and have been
    /// still for the settle time are kept for `takeStrays()`.
    public func scan() throws -> [DropGroup] {
        let entries = try DropDirectory.list(folder)
        return memory.withLock { memory in scan(entries, &memory) }
    }

    /// The entries that cannot become jobs found by the scans so far (each handed out once).
    public func takeStrays() -> [StrayEntry] {
        memory.withLock { memory in
            defer { memory.strays.removeAll() }
            return memory.strays
        }
    }

    private func scan(_ entries: [DropDirectory.Entry], _ memory: inout Memory) -> [DropGroup] {
        let now = clock.now()
        var present: Set<[UInt8]> = []
        var groups: [[UInt8]: [DropFile]] = [:]
        var groupIdentities: [[UInt8]: [StrayEntry.Identity]] = [:]
        var unsettledStems: Set<[UInt8]> = []
        var settlingStrays = false
        for entry in entries where !DropDirectory.isIgnored(entry.name) {
            present.insert(entry.name)
            if let parked = memory.parked[entry.name] {
                if parked == entry.identity { continue }
                memory.parked[entry.name] = nil
            }
            let still: Bool
            if let previous = memory.seen[entry.name], previous.size == entry.identity.size, previous.mtime == entry.identity.mtime {
                still = now - previous.stillSince >= settleSeconds
            } else {
                memory.seen[entry.name] = Seen(size: entry.identity.size, mtime: entry.identity.mtime, stillSince: now)
                still = settleSeconds <= 0
            }
            let text = String(validating: entry.name, as: UTF8.self)
            guard let name = text, entry.kind == .regular || entry.kind == .symlink else {
                if still {
                    memory.strays.append(StrayEntry(rawName: entry.name, kind: text == nil && (entry.kind == .regular || entry.kind == .symlink) ? .undecodableName : entry.kind, identity: entry.identity))
                    memory.parked[entry.name] = entry.identity
                    memory.seen[entry.name] = nil
                } else {
                    settlingStrays = true
                }
                continue
            }
            let stem = DropWatcher.stemBytes(of: entry.name)
            if !still { unsettledStems.insert(stem) }
            let isLink = entry.kind == .symlink
            groups[stem, default: []].append(DropFile(name: name, role: isLink ? .unknown : DropWatcher.role(of: name), isSymlink: isLink))
            groupIdentities[stem, default: []].append(entry.identity)
        }
        for name in memory.seen.keys where !present.contains(name) { memory.seen[name] = nil }
        for name in memory.parked.keys where !present.contains(name) { memory.parked[name] = nil }
        var ready: [DropGroup] = []
        for (stem, files) in groups {
            let signature = files.map { Array($0.name.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            if let previous = memory.groupSignatures[stem], previous.signature == signature {
                if now - previous.since < settleSeconds { unsettledStems.insert(stem) }
            } else {
                memory.groupSignatures[stem] = (signature, now)
                if settleSeconds > 0 { unsettledStems.insert(stem) }
            }
            guard !unsettledStems.contains(stem) else { continue }
            // A file some process still has open for writing is not taken: a late write would change a claimed input.
            if groupIdentities[stem, default: []].contains(where: { !$0.isSymlink && writers($0.device, $0.inode) }) {
                unsettledStems.insert(stem)
                continue
            }
            ready.append(DropGroup(stem: String(decoding: stem, as: UTF8.self),
                                   files: files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }))
        }
        for stem in memory.groupSignatures.keys where groups[stem] == nil { memory.groupSignatures[stem] = nil }
        memory.waitingToSettle = !unsettledStems.isEmpty || settlingStrays
        return ready.sorted { $0.stem.utf8.lexicographicallyPrecedes($1.stem.utf8) }
    }

    /// Forgets a group once it has been claimed.
    public func forget(_ group: DropGroup) {
        memory.withLock { memory in
            for file in group.files { memory.seen[Array(file.name.utf8)] = nil }
            memory.groupSignatures[Array(DropWatcher.stemBytes(of: Array(group.stem.utf8)))] = nil
            memory.groupSignatures[Array(group.stem.utf8)] = nil
        }
    }

    /// Stops handing out a group whose claim failed while its files stay as they are (a later run tries again).
    public func park(_ group: DropGroup) {
        let names = group.files.map { Array($0.name.utf8) }
        let identities = names.compactMap { name in DropDirectory.identity(of: folder, name: name).map { (name, $0) } }
        memory.withLock { memory in
            for (name, identity) in identities { memory.parked[name] = identity }
            for name in names { memory.seen[name] = nil }
            memory.groupSignatures[Array(group.stem.utf8)] = nil
        }
    }

    /// True when the folder holds an entry this watcher has not yet handed out, parked or ignored: `run --once`
    /// keeps looking while this is true, and stops once everything dropped is accounted for.
    public func hasUnaccountedEntries() throws -> Bool {
        let entries = try DropDirectory.list(folder)
        return memory.withLock { memory in
            entries.contains { entry in
                !DropDirectory.isIgnored(entry.name) && memory.parked[entry.name] != entry.identity
            }
        }
    }
}
