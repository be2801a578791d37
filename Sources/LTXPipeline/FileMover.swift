import Crypto
import Foundation

/// Moves and hashes files so that a file is never in two places half-written, nor in none.
public enum FileMover {
    /// Why a move failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// One line naming the file.
        public var description: String
    }

    /// SHA-256 (hex) and size of a file, streamed in 1 MiB chunks.
    public static func sha256(of path: String) throws(Failure) -> (digest: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "\(path): cannot open for reading") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw Failure(description: "\(path): read failed (\(error.localizedDescription))")
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    /// Moves `source` to `destination` (which must not exist): a rename on the same filesystem, else
    /// copy, fsync, compare digests, then remove the source. Returns the file's digest and size.
    @discardableResult
    public static func move(_ source: String, to destination: String) throws(Failure) -> (digest: String, size: Int64) {
        try makeParent(of: destination)
        if rename(source, destination) == 0 {
            syncDirectory(of: destination)
            return try sha256(of: destination)
        }
        guard errno == EXDEV else {
            throw Failure(description: "\(source): cannot move to \(destination) (\(String(cString: strerror(errno))))")
        }
        let original = try sha256(of: source)
        let temporary = destination + ".moving-\(getpid())"
        do {
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
        } catch {
            throw Failure(description: "\(source): cannot copy to \(destination) (\(error.localizedDescription))")
        }
        fsyncFile(temporary)
        let copy = try sha256(of: temporary)
        guard copy == original else {
            unlink(temporary)
            throw Failure(description: "\(source): the copy at \(destination) does not match the original; original kept")
        }
        guard rename(temporary, destination) == 0 else {
            throw Failure(description: "\(destination): cannot finish the move (\(String(cString: strerror(errno))))")
        }
        syncDirectory(of: destination)
        unlink(source)
        return original
    }

    /// Creates the parent folder of `path`.
    static func makeParent(of path: String) throws(Failure) {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw Failure(description: "\(parent): cannot create folder (\(error.localizedDescription))")
        }
    }

    /// Writes `data` to `path` through a temporary file, fsync and rename.
    public static func write(_ data: Data, to path: String) throws(Failure) {
        try makeParent(of: path)
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw Failure(description: "\(path): cannot write")
        }
        fsyncFile(temporary)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure(description: "\(path): cannot write (\(String(cString: strerror(errno))))")
        }
        syncDirectory(of: path)
    }

    static func fsyncFile(_ path: String) {
        let fd = open(path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func syncDirectory(of path: String) {
        fsyncFile(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

extension FileMover {
    /// SHA-256 (hex) of a string's UTF-8 bytes.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
