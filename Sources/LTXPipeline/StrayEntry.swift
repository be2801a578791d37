import Foundation
import LTXCore

/// An entry of the drop folder that cannot become a job: a FIFO, socket, device, folder, or a file whose name is
/// not UTF-8. It is failed with a reason (moved to `failed/` when it can be renamed there), never left unaccounted.
public struct StrayEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case regular, symlink, folder, fifo, socket, characterDevice, blockDevice, other, undecodableName

        /// The words a person reads in the reason.
        public var words: String {
            switch self {
            case .regular: "a file"
            case .symlink: "a symbolic link"
            case .folder: "a folder"
            case .fifo: "a named pipe (FIFO)"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .other: "a special file"
            case .undecodableName: "a file whose name is not valid UTF-8"
            }
        }
    }

    /// The `lstat` facts that say whether an entry changed.
    public struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var mtime: Double
        var kind: Kind
        var isSymlink: Bool { kind == .symlink }

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = .regular
            case S_IFLNK: kind = .symlink
            case S_IFDIR: kind = .folder
            case S_IFIFO: kind = .fifo
            case S_IFSOCK: kind = .socket
            case S_IFCHR: kind = .characterDevice
            case S_IFBLK: kind = .blockDevice
            default: kind = .other
            }
        }
    }

    /// The name's bytes as the file system holds them.
    public var rawName: [UInt8]
    /// What it is.
    public var kind: Kind
    var identity: Identity

    /// The name for logs, the ledger and `failed/`: UTF-8 as is, other bytes as `%XX`, control bytes escaped.
    public var displayName: String {
        if let text = String(validating: rawName, as: UTF8.self) { return DisplayText.escaped(text) }
        return rawName.map { byte in
            byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "%") ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }

    /// The reason word stored in the ledger and `error.json`.
    public var reason: String { kind == .undecodableName ? "undecodable-name" : "unsupported-file" }

    /// A sentence for the person who dropped it.
    public var detail: String {
        kind == .undecodableName
            ? "\(displayName) is \(kind.words); rename it (the bytes that are not UTF-8 are shown as %XX)"
            : "\(displayName) is \(kind.words); only regular files (images, audio, .txt prompts, .json sidecars) are taken"
    }
}
