import Crypto
import Foundation
import LTXCore

/// A failed system call on one path, with the C library's text for `errno`.
typealias BagIOFailure = DurableFileError

/// What a path is, read with `lstat` so symbolic links are never followed.
enum BagEntryKind: Equatable {
    case none
    case file(size: Int64)
    case directory
    case symlink
    case other
}

/// The checksum algorithms a BagIt manifest may name that this package can compute.
enum BagChecksum: String, CaseIterable {
    case md5, sha1, sha256, sha384, sha512

    /// Hex digits in one digest.
    var hexLength: Int {
        switch self {
        case .md5: return 32
        case .sha1: return 40
        case .sha256: return 64
        case .sha384: return 96
        case .sha512: return 128
        }
    }
}

/// POSIX file work for bags: streamed hashing and copying in 1 MiB chunks, exclusive creation, fsync.
enum BagFileSystem {
    /// Bytes read per system call: memory stays constant whatever the file size.
    static let chunkSize = 1 << 20
    /// Largest tag file (bagit.txt, bag-info.txt, a manifest) read into memory.
    static let maxTagFileSize = 64 << 20

    /// The kind of entry at `path`, without following a symbolic link.
    static func kind(_ path: String) -> BagEntryKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .none }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(size: Int64(info.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The device a path lives on, or nil when it cannot be read.
    static func device(_ path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    /// `directory/name`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The folder that holds `path`.
    static func parent(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }

    /// Names in `directory`, sorted; hidden ones included.
    static func entries(_ directory: String) throws(BagIOFailure) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw BagIOFailure("list", directory, code: (error as NSError).underlyingErrorCode ?? EIO)
        }
    }

    /// Calls `body` with each chunk of the file in order; returns the file's size.
    static func readChunks(
        _ path: String, _ body: (UnsafeRawBufferPointer) throws(BagIOFailure) -> Void
    ) throws(BagIOFailure) -> Int64 {
        try DurableFile.readChunks(path, body)
    }

    /// The file's digest (lowercase hex) and size, hashed as a stream.
    static func digest(of path: String, _ algorithm: BagChecksum = .sha256) throws(BagIOFailure) -> (hex: String, size: Int64) {
        switch algorithm {
        case .md5: return try digest(of: path, using: Insecure.MD5.self)
        case .sha1: return try digest(of: path, using: Insecure.SHA1.self)
        case .sha256: return try digest(of: path, using: SHA256.self)
        case .sha384: return try digest(of: path, using: SHA384.self)
        case .sha512: return try digest(of: path, using: SHA512.self)
        }
    }

    private static func digest<H: HashFunction>(of path: String, using: H.Type) throws(BagIOFailure) -> (hex: String, size: Int64) {
        var hasher = H()
        let size = try readChunks(path) { chunk in hasher.update(bufferPointer: chunk) }
        return (hex(hasher.finalize()), size)
    }

    /// SHA-256 of bytes in memory, lowercase hex.
    static func sha256(_ data: Data) -> String { FileDigest(of: data).sha256 }

    /// Lowercase hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { Hex.encode(digest) }

    /// Writes `data` to a new file at `path` (never over an existing one) and flushes it to disk.
    static func writeNewFile(_ data: Data, to path: String) throws(BagIOFailure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BagIOFailure("create", path) }
        var failure: BagIOFailure? = nil
        data.withUnsafeBytes { bytes in
            do throws(BagIOFailure) { try DurableFile.writeAll(fd, bytes, path: path) } catch { failure = error }
        }
        if failure == nil && fsync(fd) != 0 { failure = BagIOFailure("fsync", path) }
        close(fd)
        if let failure {
            unlink(path)
            throw failure
        }
    }

    /// Copies `source` to a new file at `destination` (flushed to disk) and returns the SHA-256 and size of
    /// the bytes read from the source.
    static func copyNewFile(from source: String, to destination: String) throws(BagIOFailure) -> (hex: String, size: Int64) {
        let digest = try DurableFile.copy(source, to: destination)
        return (digest.sha256, digest.size)
    }

    /// Flushes a file or folder (its entries) to disk.
    static func sync(_ path: String) throws(BagIOFailure) { try DurableFile.sync(path) }

    /// Creates `path` and any missing parents; returns the folders created, outermost first.
    static func makeDirectories(_ path: String) throws(BagIOFailure) -> [String] {
        switch kind(path) {
        case .directory: return []
        case .none: break
        default: throw BagIOFailure("mkdir", path, code: ENOTDIR)
        }
        let parentPath = parent(path)
        var created: [String] = []
        if parentPath != path && !parentPath.isEmpty { created = try makeDirectories(parentPath) }
        if mkdir(path, 0o755) != 0 {
            if errno == EEXIST, kind(path) == .directory { return created }
            throw BagIOFailure("mkdir", path)
        }
        return created + [path]
    }

    /// Removes a folder and everything in it (symbolic links are removed, never followed).
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every entry under `directory` (relative paths joined with `/`, prefixed with `prefix`), without following links.
    static func walk(_ directory: String, prefix: String) throws(BagIOFailure) -> [(path: String, kind: BagEntryKind)] {
        var found: [(path: String, kind: BagEntryKind)] = []
        for name in try entries(directory) {
            let full = join(directory, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            let entryKind = kind(full)
            if entryKind == .directory {
                found += try walk(full, prefix: relative)
            } else {
                found.append((relative, entryKind))
            }
        }
        return found
    }
}

private extension NSError {
    /// The POSIX code under a Foundation file error, when there is one.
    var underlyingErrorCode: Int32? {
        if domain == NSPOSIXErrorDomain { return Int32(code) }
        if let underlying = userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if code == NSFileReadNoSuchFileError { return ENOENT }
        return nil
    }
}
