import Foundation

/// Write-to-temporary-then-rename helpers, so a reader never sees half a file.
enum AtomicFile {
    /// A temporary path beside `path`, on the same filesystem.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Flushes `temporary` to disk and renames it to `path`.
    static func rename(_ temporary: String, to path: String) throws(MediaError) {
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard Foundation.rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MediaError(.writeFailed, path: path, reason: "cannot move the finished file into place (\(reason))")
        }
    }
}
