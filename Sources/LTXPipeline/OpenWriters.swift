import Foundation

/// Whether any process holds a file open for writing, found through `/proc/PID/fd` (the file's device and inode
/// against every descriptor's target) and `/proc/PID/fdinfo` (the descriptor's access mode). A claim waits while a
/// writer is present, so a late write cannot change a file after it was hashed.
public enum OpenWriters {
    /// True when a process this user can inspect has the file `device`/`inode` open write-only or read-write.
    /// Where `/proc` cannot be read (not Linux, or hidden), answers false and the settle time alone decides.
    public static func isOpenForWriting(device: UInt64, inode: UInt64) -> Bool {
        guard let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for pid in processes where pid.first?.isNumber == true {
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in descriptors {
                var info = stat()
                guard stat("/proc/\(pid)/fd/\(fd)", &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { continue }
                guard let text = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8) else { return true }
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                   let flags = Int(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8) {
                    if flags & Int(O_ACCMODE) != Int(O_RDONLY) { return true }
                } else {
                    return true
                }
            }
        }
        return false
    }
}
