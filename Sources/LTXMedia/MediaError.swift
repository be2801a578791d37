import Foundation

/// A problem with one media file, worded for the person who gave us the file.
public struct MediaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is; callers map kinds to exit codes and ledger reasons.
    public enum Kind: String, Sendable, Codable {
        case notFound = "not-found"
        case unreadable
        case empty
        case notMedia = "not-media"
        case noVideo = "no-video"
        case noAudio = "no-audio"
        case unsupportedCodec = "unsupported-codec"
        case unsupportedFormat = "unsupported-format"
        case damaged
        case tooLarge = "too-large"
        case decompressionBomb = "decompression-bomb"
        case tooShort = "too-short"
        case writeFailed = "write-failed"
        case encoderMissing = "encoder-missing"
    }

    /// The kind of problem.
    public let kind: Kind
    /// The file it concerns.
    public let path: String
    /// One line saying what is wrong; control characters (which may come from the file) are escaped.
    public let reason: String

    /// Creates an error for `path`.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = PrintableText.escaped(reason)
    }

    /// `path: reason`, one line, with control characters from either shown as escapes.
    public var description: String { "\(PrintableText.escaped(path)): \(PrintableText.escaped(reason))" }
}

/// Checks that a path names a readable, non-empty regular file before any decoder sees it.
enum InputFile {
    /// Returns the file's size in bytes.
    static func check(_ path: String) throws(MediaError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw MediaError(.notFound, path: path, reason: "no such file") }
            throw MediaError(.unreadable, path: path, reason: "cannot read file (\(String(cString: strerror(code))))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw MediaError(.unreadable, path: path, reason: "is a directory, not a file") }
        guard access(path, R_OK) == 0 else {
            throw MediaError(.unreadable, path: path, reason: "cannot read file (\(String(cString: strerror(errno))))")
        }
        if info.st_size == 0 { throw MediaError(.empty, path: path, reason: "file is empty (0 bytes)") }
        return Int64(info.st_size)
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    static func head(_ path: String, count: Int) throws(MediaError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MediaError(.unreadable, path: path, reason: "cannot open file for reading")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw MediaError(.unreadable, path: path, reason: "read failed (\(error.localizedDescription))")
        }
    }

    /// The last `count` bytes of the file.
    static func tail(_ path: String, count: Int, size: Int64) throws(MediaError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MediaError(.unreadable, path: path, reason: "cannot open file for reading")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(max(0, size - Int64(count))))
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw MediaError(.unreadable, path: path, reason: "read failed (\(error.localizedDescription))")
        }
    }
}
