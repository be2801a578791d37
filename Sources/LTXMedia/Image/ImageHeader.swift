import Foundation

/// What an image file's own header says, read without decoding any pixels.
public struct ImageHeader: Sendable, Equatable {
    /// An image container recognised by its leading bytes.
    public enum Format: String, Sendable, Codable {
        case jpeg, png, gif, webp, bmp, tiff
        /// True for the formats the API accepts as they are.
        public var acceptedByAPI: Bool { self == .jpeg || self == .png || self == .gif || self == .webp }
    }

    /// The container, by content.
    public var format: Format
    /// Stored width in pixels, when the header states it.
    public var width: Int?
    /// Stored height in pixels, when the header states it.
    public var height: Int?
    /// EXIF orientation (1–8; 1 is upright), when present.
    public var orientation: Int
    /// Why the file's structure is incomplete (missing end marker, short chunk), or nil when whole.
    public var structuralDamage: String?

    /// Width and height as displayed, after EXIF orientation.
    public var displaySize: (width: Int, height: Int)? {
        guard let width, let height else { return nil }
        return orientation >= 5 && orientation <= 8 ? (height, width) : (width, height)
    }

    /// Reads the header of `bytes`; nil when they are not an image format we know.
    public static func read(_ bytes: UnsafeRawBufferPointer) -> ImageHeader? {
        let b = ByteReader(bytes)
        if b.matches(0, [0xFF, 0xD8, 0xFF]) { return JPEGStructure.read(b) }
        if b.matches(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return readPNG(b) }
        if b.matches(0, Array("GIF87a".utf8)) || b.matches(0, Array("GIF89a".utf8)) { return readGIF(b) }
        if b.matches(0, Array("RIFF".utf8)) && b.matches(8, Array("WEBP".utf8)) { return readWebP(b) }
        if b.matches(0, Array("BM".utf8)) && b.count >= 26 { return readBMP(b) }
        if b.matches(0, [0x49, 0x49, 0x2A, 0x00]) || b.matches(0, [0x4D, 0x4D, 0x00, 0x2A]) { return readTIFF(b) }
        return nil
    }

    private static func readPNG(_ b: ByteReader) -> ImageHeader {
        var header = ImageHeader(format: .png, width: nil, height: nil, orientation: 1, structuralDamage: nil)
        if b.count >= 24, b.matches(12, Array("IHDR".utf8)) {
            header.width = Int(b.u32be(16))
            header.height = Int(b.u32be(20))
        }
        var offset = 8
        var sawEnd = false
        while offset + 8 <= b.count {
            let length = Int(b.u32be(offset))
            let type = b.ascii(offset + 4, 4)
            let next = offset + 12 + length
            if next > b.count {
                header.structuralDamage = "PNG chunk \(type) is cut short (file truncated)"
                return header
            }
            if type == "IEND" { sawEnd = true; break }
            offset = next
        }
        if !sawEnd, header.structuralDamage == nil { header.structuralDamage = "PNG has no IEND chunk (file truncated)" }
        return header
    }

    private static func readGIF(_ b: ByteReader) -> ImageHeader {
        var header = ImageHeader(format: .gif, width: nil, height: nil, orientation: 1, structuralDamage: nil)
        if b.count >= 10 {
            header.width = Int(b.u16le(6))
            header.height = Int(b.u16le(8))
        }
        let tail = b.trimmedEnd()
        if tail == 0 || b[tail - 1] != 0x3B { header.structuralDamage = "GIF has no trailer byte (file truncated)" }
        return header
    }

    private static func readWebP(_ b: ByteReader) -> ImageHeader {
        var header = ImageHeader(format: .webp, width: nil, height: nil, orientation: 1, structuralDamage: nil)
        let declared = Int(b.u32le(4)) + 8
        if declared > b.count { header.structuralDamage = "WebP is shorter than its RIFF header says (\(b.count) of \(declared) bytes)" }
        guard b.count >= 30 else { return header }
        switch b.ascii(12, 4) {
        case "VP8X":
            header.width = Int(b.u24le(24)) + 1
            header.height = Int(b.u24le(27)) + 1
        case "VP8L":
            let bits = b.u32le(21)
            header.width = Int(bits & 0x3FFF) + 1
            header.height = Int((bits >> 14) & 0x3FFF) + 1
        case "VP8 ":
            header.width = Int(b.u16le(26) & 0x3FFF)
            header.height = Int(b.u16le(28) & 0x3FFF)
        default:
            break
        }
        return header
    }

    private static func readBMP(_ b: ByteReader) -> ImageHeader {
        let width = Int(Int32(bitPattern: b.u32le(18)))
        let height = Int(Int32(bitPattern: b.u32le(22)))
        return ImageHeader(format: .bmp, width: abs(width), height: abs(height), orientation: 1, structuralDamage: nil)
    }

    private static func readTIFF(_ b: ByteReader) -> ImageHeader {
        let tiff = TIFFReader(b, base: 0)
        return ImageHeader(
            format: .tiff, width: tiff?.value(tag: 0x0100), height: tiff?.value(tag: 0x0101),
            orientation: tiff?.value(tag: 0x0112).flatMap { (1...8).contains($0) ? $0 : nil } ?? 1,
            structuralDamage: nil
        )
    }
}

/// Walks a JPEG's marker segments and entropy-coded data to its end-of-image marker.
enum JPEGStructure {
    static func read(_ b: ByteReader) -> ImageHeader {
        var header = ImageHeader(format: .jpeg, width: nil, height: nil, orientation: 1, structuralDamage: nil)
        var offset = 2
        while true {
            guard let markerStart = b.next(0xFF, from: offset) else {
                header.structuralDamage = "JPEG has no end-of-image marker (file truncated)"
                return header
            }
            var m = markerStart + 1
            while m < b.count, b[m] == 0xFF { m += 1 }
            guard m < b.count else {
                header.structuralDamage = "JPEG has no end-of-image marker (file truncated)"
                return header
            }
            let marker = b[m]
            offset = m + 1
            switch marker {
            case 0xD9:
                return header
            case 0x00, 0x01, 0xD0...0xD7:
                continue
            default:
                guard offset + 2 <= b.count else {
                    header.structuralDamage = "JPEG segment header is cut short (file truncated)"
                    return header
                }
                let length = Int(b.u16be(offset))
                guard length >= 2, offset + length <= b.count else {
                    header.structuralDamage = "JPEG segment 0xFF\(String(marker, radix: 16, uppercase: true)) is cut short (file truncated)"
                    return header
                }
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC, length >= 7, header.width == nil {
                    header.height = Int(b.u16be(offset + 3))
                    header.width = Int(b.u16be(offset + 5))
                }
                if marker == 0xE1, length >= 16, b.matches(offset + 2, Array("Exif".utf8) + [0, 0]) {
                    let tiff = TIFFReader(b, base: offset + 8, limit: offset + length)
                    if let o = tiff?.value(tag: 0x0112), (1...8).contains(o) { header.orientation = o }
                }
                offset += length
            }
        }
    }
}

/// Reads tags from the first IFD of a TIFF structure (a TIFF file, or EXIF inside a JPEG).
struct TIFFReader {
    private let b: ByteReader
    private let base: Int
    private let limit: Int
    private let littleEndian: Bool
    private let ifd: Int

    init?(_ b: ByteReader, base: Int, limit: Int? = nil) {
        self.b = b
        self.base = base
        self.limit = min(limit ?? b.count, b.count)
        guard base + 8 <= self.limit else { return nil }
        if b.matches(base, [0x49, 0x49]) { littleEndian = true } else if b.matches(base, [0x4D, 0x4D]) { littleEndian = false } else { return nil }
        let offset = littleEndian ? Int(b.u32le(base + 4)) : Int(b.u32be(base + 4))
        ifd = base + offset
        guard ifd + 2 <= self.limit else { return nil }
    }

    func value(tag wanted: Int) -> Int? {
        let count = u16(ifd)
        for i in 0..<count {
            let entry = ifd + 2 + i * 12
            guard entry + 12 <= limit else { return nil }
            guard u16(entry) == wanted else { continue }
            let type = u16(entry + 2)
            return type == 3 ? u16(entry + 8) : Int(littleEndian ? b.u32le(entry + 8) : b.u32be(entry + 8))
        }
        return nil
    }

    private func u16(_ at: Int) -> Int { Int(littleEndian ? b.u16le(at) : b.u16be(at)) }
}

/// Bounds-checked big- and little-endian reads over a byte buffer; out-of-range reads yield 0.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var count: Int { bytes.count }
    subscript(_ i: Int) -> UInt8 { i >= 0 && i < bytes.count ? bytes[i] : 0 }

    func matches(_ at: Int, _ pattern: [UInt8]) -> Bool {
        guard at >= 0, at + pattern.count <= bytes.count else { return false }
        for (i, byte) in pattern.enumerated() where bytes[at + i] != byte { return false }
        return true
    }

    func u16be(_ at: Int) -> UInt16 { UInt16(self[at]) << 8 | UInt16(self[at + 1]) }
    func u16le(_ at: Int) -> UInt16 { UInt16(self[at + 1]) << 8 | UInt16(self[at]) }
    func u24le(_ at: Int) -> UInt32 { UInt32(self[at + 2]) << 16 | UInt32(self[at + 1]) << 8 | UInt32(self[at]) }
    func u32be(_ at: Int) -> UInt32 { UInt32(u16be(at)) << 16 | UInt32(u16be(at + 2)) }
    func u32le(_ at: Int) -> UInt32 { UInt32(u16le(at + 2)) << 16 | UInt32(u16le(at)) }
    func ascii(_ at: Int, _ length: Int) -> String {
        String(decoding: (at..<(at + length)).map { self[$0] }, as: UTF8.self)
    }

    /// Index of the next `byte` at or after `from` (memchr speed).
    func next(_ byte: UInt8, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Length of the buffer without trailing NUL and whitespace padding.
    func trimmedEnd() -> Int {
        var end = bytes.count
        while end > 0, [0x00, 0x0A, 0x0D, 0x20].contains(bytes[end - 1]) { end -= 1 }
        return end
    }
}

extension ImageHeader {
    /// The displayed size (EXIF orientation applied) the header of the image file at `path` states; nil when the
    /// file cannot be read, is not an image we know, or its header gives no size. Reads the header only.
    public static func displaySize(ofFile path: String) -> (width: Int, height: Int)? {
        guard let mapped = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
        return mapped.withUnsafeBytes { read($0)?.displaySize }
    }
}
