import Foundation
import LTXCore

/// Media outputs are written under a temporary name and committed through `DurableFile`, so a reader never
/// sees half a file.
enum AtomicFile {
    /// A temporary path beside `path`, on the same filesystem.
    static func temporaryPath(for path: String) -> String { DurableFile.temporaryPath(for: path) }

    /// Flushes `temporary` to disk and renames it to `path`.
    static func rename(_ temporary: String, to path: String) throws(MediaError) {
        do { try DurableFile.commit(temporary, to: path) } catch {
            throw MediaError(.writeFailed, path: path, reason: "cannot move the finished file into place (\(error.description))")
        }
    }

    /// Writes `bytes` to `path` whole or not at all.
    static func write(_ bytes: [UInt8], to path: String) throws(MediaError) {
        do { try DurableFile.write(Data(bytes), to: path) } catch {
            throw MediaError(.writeFailed, path: path, reason: "cannot write the file (\(error.description))")
        }
    }
}
