import Foundation

/// The drop folder as the file system holds it: names as raw bytes (never decoded or normalised) with their type,
/// size and change time from `lstat`, read with `readdir` so a name that is not UTF-8 is seen rather than skipped.
enum DropDirectory {
    /// One directory entry.
    struct Entry: Sendable {
        var name: [UInt8]
        var kind: StrayEntry.Kind
        var identity: StrayEntry.Identity
    }

    /// Every entry of `folder` except `.` and `..` (entries that vanish while listing are left out).
    static func list(_ folder: String) throws -> [Entry] {
        guard let directory = opendir(folder) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: folder, NSLocalizedDescriptionKey: "\(folder): cannot list (\(String(cString: strerror(errno))))"])
        }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let pointer = readdir(directory) {
            let name: [UInt8] = withUnsafeBytes(of: pointer.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [46] || name == [46, 46] || name.isEmpty { continue }
            guard let identity = identity(of: folder, name: name) else { continue }
            entries.append(Entry(name: name, kind: identity.kind, identity: identity))
        }
        return entries
    }

    /// The `lstat` facts of `folder/name`, or nil when it is gone.
    static func identity(of folder: String, name: [UInt8]) -> StrayEntry.Identity? {
        var info = stat()
        let result = path(folder, name).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { buffer in buffer.baseAddress.map { lstat($0, &info) } ?? -1 }
        }
        guard result == 0 else { return nil }
        return StrayEntry.Identity(info)
    }

    /// `folder/name` as a NUL-terminated byte path.
    static func path(_ folder: String, _ name: [UInt8]) -> [UInt8] {
        Array(folder.utf8) + [UInt8(ascii: "/")] + name + [0]
    }

    /// Names never picked up: hidden files and partial downloads (judged on the bytes; a name that is not UTF-8
    /// is judged on its decodable part).
    static func isIgnored(_ name: [UInt8]) -> Bool {
        if name.first == UInt8(ascii: ".") { return true }
        return DropWatcher.isIgnored(String(decoding: name, as: UTF8.self))
    }
}
