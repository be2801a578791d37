import Crypto
import Foundation

/// Files that are either whole on disk or absent: written under a temporary name, flushed, renamed into place,
/// and their folder flushed; moved by rename, or across filesystems by copy + fsync + digest comparison + remove.
/// Every file the pipeline keeps goes through here. See docs/ARCHITECTURE.md, "Durable files".
public enum DurableFile {
    /// Bytes read per system call when hashing or copying.
    public static let chunkSize = 1 << 20

    /// A temporary path beside `path`, on the same filesystem, unique to this process and call.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Flushes a file or a folder's entries to disk.
    public static func sync(_ path: String) throws(DurableFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DurableFileError("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DurableFileError("fsync", path) }
    }

    /// Flushes the folder holding `path`.
    public static func syncParent(of path: String) throws(DurableFileError) {
        try sync(parent(of: path))
    }

    /// Flushes `temporary`, renames it to `path` and flushes the folder; removes `temporary` on failure.
    public static func commit(_ temporary: String, to path: String) throws(DurableFileError) {
        do throws(DurableFileError) {
            try sync(temporary)
            guard rename(temporary, path) == 0 else { throw DurableFileError("rename into", path) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncParent(of: path)
    }

    /// Writes `data` to `path` whole or not at all (temporary file, fsync, rename, folder fsync).
    public static func write(_ data: Data, to path: String) throws(DurableFileError) {
        try makeParent(of: path)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DurableFileError("create", temporary) }
        var failure: DurableFileError? = nil
        data.withUnsafeBytes { bytes in
            do throws(DurableFileError) { try writeAll(fd, bytes, path: path) } catch { failure = error }
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        try commit(temporary, to: path)
    }

    /// The SHA-256 and size of a file, streamed.
    public static func digest(of path: String) throws(DurableFileError) -> FileDigest {
        var hasher = SHA256()
        let size = try readChunks(path) { chunk in hasher.update(bufferPointer: chunk) }
        return FileDigest(sha256: Hex.encode(hasher.finalize()), size: size)
    }

    /// Moves `source` to `destination` (which must not exist) and returns the file's digest: a rename on the same
    /// filesystem, else a copy that is flushed and compared with the original before the original is removed.
    @discardableResult
    public static func move(_ source: String, to destination: String) throws(DurableFileError) -> FileDigest {
        try makeParent(of: destination)
        if rename(source, destination) == 0 {
            try syncParent(of: destination)
            return try digest(of: destination)
        }
        guard errno == EXDEV else { throw DurableFileError("move to \(destination)", source) }
        let temporary = temporaryPath(for: destination)
        let copied = try copy(source, to: temporary)
        let original: FileDigest
        do { original = try digest(of: source) } catch {
            unlink(temporary)
            throw error
        }
        guard copied == original else {
            unlink(temporary)
            throw DurableFileError("move to \(destination)", source, code: 0, detail: "the file changed while it was copied; original kept")
        }
        try commit(temporary, to: destination)
        unlink(source)
        return original
    }

    /// Copies `source` to a new file at `destination` (flushed) and returns the digest of the bytes copied.
    @discardableResult
    public static func copy(_ source: String, to destination: String) throws(DurableFileError) -> FileDigest {
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DurableFileError("create", destination) }
        var hasher = SHA256()
        let size: Int64
        do throws(DurableFileError) {
            size = try readChunks(source) { (chunk) throws(DurableFileError) in
                hasher.update(bufferPointer: chunk)
                try writeAll(fd, chunk, path: destination)
            }
            if fsync(fd) != 0 { throw DurableFileError("fsync", destination) }
        } catch {
            close(fd)
            unlink(destination)
            throw error
        }
        close(fd)
        return FileDigest(sha256: Hex.encode(hasher.finalize()), size: size)
    }

    /// Creates the folder holding `path`, with its parents.
    public static func makeParent(of path: String) throws(DurableFileError) {
        let folder = parent(of: path)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw DurableFileError("create folder", folder, code: (error as NSError).posixCode ?? EIO)
        }
    }

    /// Reads `path` in chunks without following a final symbolic link; returns the bytes read.
    public static func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws(DurableFileError) -> Void) throws(DurableFileError) -> Int64 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw DurableFileError("open", path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = read(fd, buffer, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw DurableFileError("read", path)
            }
            if n == 0 { return total }
            total += Int64(n)
            try body(UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// Writes every byte of `bytes` to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(DurableFileError) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Foundation.write(fd, base, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw DurableFileError("write", path)
            }
            remaining -= n
            base += n
        }
    }

    static func parent(of path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return folder.isEmpty ? "." : folder
    }
}

extension NSError {
    /// The POSIX code under a Foundation file error, when there is one.
    var posixCode: Int32? {
        if domain == NSPOSIXErrorDomain { return Int32(code) }
        if let underlying = userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }
}
