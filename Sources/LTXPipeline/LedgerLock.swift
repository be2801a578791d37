import Foundation

/// Why a ledger lock was not taken.
public struct LedgerLockError: Error, CustomStringConvertible, Sendable {
    /// The lock file.
    public var path: String
    /// The process holding the lock, when its pid could be read.
    public var holder: Int32?
    /// The system's reason, when the lock file itself could not be used.
    public var reason: String?

    /// One line a user can act on.
    public var description: String {
        if let reason { return "\(path): cannot lock the ledger (\(reason))" }
        let who = holder.map { "process \($0)" } ?? "another process"
        return "\(path): another run (\(who)) is using this pipeline's ledger; stop it first (kill -TERM \(holder.map(String.init) ?? "PID"))"
    }
}

/// The advisory lock that keeps two processes from working one ledger: `flock` on `ledger.sqlite.lock` next to the
/// ledger, holding the owner's pid as text. The kernel drops the lock when the process ends, however it ends, so a
/// run killed with SIGKILL never blocks the next one.
public final class LedgerLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// The lock file of the ledger at `ledgerPath`.
    public static func path(forLedger ledgerPath: String) -> String { ledgerPath + ".lock" }

    /// Takes the lock of the ledger at `ledgerPath` without waiting; throws naming the holder's pid when it is taken.
    public init(ledgerPath: String) throws(LedgerLockError) {
        let path = LedgerLock.path(forLedger: ledgerPath)
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        } catch {
            throw LedgerLockError(path: path, holder: nil, reason: "\(error)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LedgerLockError(path: path, holder: nil, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = LedgerLock.readPID(fd)
            close(fd)
            if code == EWOULDBLOCK { throw LedgerLockError(path: path, holder: holder, reason: nil) }
            throw LedgerLockError(path: path, holder: nil, reason: String(cString: strerror(code)))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    /// Gives the lock up (the kernel does the same when the process ends).
    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The pid written in an open lock file, if it holds one.
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBufferPointer { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
