import Crypto
import Foundation

/// The SHA-256 (lowercase hex) and size of some bytes.
public struct FileDigest: Sendable, Equatable, Codable {
    /// Lowercase hex SHA-256.
    public var sha256: String
    /// Bytes hashed.
    public var size: Int64

    /// Creates a digest value.
    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }

    /// The digest of bytes in memory.
    public init(of data: Data) {
        self.init(sha256: Hex.encode(SHA256.hash(data: data)), size: Int64(data.count))
    }

    /// The digest of a string's UTF-8 bytes.
    public init(of text: String) { self.init(of: Data(text.utf8)) }
}

/// Lowercase hexadecimal.
public enum Hex {
    /// `bytes` as lowercase hex digits.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
