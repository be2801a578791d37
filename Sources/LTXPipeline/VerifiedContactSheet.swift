import Foundation
import LTXMedia

/// A contact sheet the deep verification made on its decode of every frame, kept in memory for the archive step
/// together with what identified the video file then. The ledger never holds it: after a restart, or when the
/// file changed since (an exact delivery replaced it with its crop), the archive step makes the sheet itself.
struct VerifiedContactSheet: Sendable {
    var sheet: ContactSheet
    /// Device, inode, size and modification time of the verified file.
    var file: FileIdentity

    /// What tells one version of a file from another without reading it.
    struct FileIdentity: Sendable, Equatable {
        var device: UInt64, inode: UInt64, size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int

        /// The identity of the file at `path`, nil when it cannot be read.
        static func of(_ path: String) -> FileIdentity? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec)
        }
    }
}
