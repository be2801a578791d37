import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

/// Paths, temporary folders and byte helpers shared by the LTXMedia suites.
enum Support {
    /// Every frame of `path`, decoded from the start (no seeking) and converted to RGBA, scaled to `width`×`height`
    /// or at its stored size when none is given.
    static func decodeAllFrames(_ path: String, width: Int? = nil, height: Int? = nil) throws -> [RGBAImage] {
        let input = try InputContext(path: path)
        try input.findStreamInfo()
        let index = try #require(input.bestStream(AVMEDIA_TYPE_VIDEO))
        let decoder = try CodecContext.decoder(for: input.stream(index).pointee.codecpar)
        let packet = try Packet(), frame = try Frame()
        var frames: [RGBAImage] = []
        var more = true
        while more {
            more = try input.read(into: packet)
            if more && packet.streamIndex != index { packet.unref(); continue }
            _ = try decoder.send(more ? packet : nil)
            packet.unref()
            while try decoder.receive(into: frame) {
                frames.append(try ImageCodec.toRGBA(frame, width: width ?? frame.width, height: height ?? frame.height))
            }
        }
        return frames
    }

    /// The package root, found from this file's location (Tests/LTXMediaTests/TestSupport.swift).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A committed fixture, e.g. `fixture("media/quadrants-4x3.jpg")`.
    static func fixture(_ relative: String) -> String {
        repoRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// Runs `body` with a fresh empty folder that is removed afterwards, whatever happens.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ltxmedia-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// `dir/name`.
    static func path(_ dir: String, _ name: String) -> String {
        URL(fileURLWithPath: dir).appendingPathComponent(name).path
    }

    /// Every byte of a file.
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes `bytes` to `path`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Copies a fixture into `dir` (keeping its name unless `as` is given) and returns the copy's path.
    static func copyFixture(_ relative: String, into dir: String, as name: String? = nil) throws -> String {
        let source = fixture(relative)
        let destination = path(dir, name ?? URL(fileURLWithPath: source).lastPathComponent)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }

    /// Names of the entries of `dir`, sorted.
    static func listing(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    /// Size of a file in bytes.
    static func size(_ path: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? -1
    }

    /// Writes a test-pattern MP4 into `dir` and returns its path.
    static func makeVideo(
        in dir: String, name: String = "clip.mp4", width: Int = 320, height: Int = 180,
        fps: Rational = Rational(25, 1), frames: Int, audio: Bool = true
    ) throws -> String {
        let target = path(dir, name)
        try TestPatternWriter.write(TestPattern(width: width, height: height, fps: fps, frameCount: frames, audio: audio), to: target)
        return target
    }

    /// Little-endian 16- and 32-bit integers, for hand-built RIFF headers.
    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
    static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xFF) } }
}

/// A file's bytes and modification time, to prove an input was left alone.
struct FileSnapshot: Equatable {
    let bytes: [UInt8]
    let modified: Date?

    init(_ path: String) throws {
        bytes = try Support.bytes(path)
        modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }
}

/// An 8-bit RGB colour read back from a decoded picture.
struct RGB: CustomStringConvertible {
    let r: Int, g: Int, b: Int

    var description: String { "(\(r), \(g), \(b))" }

    /// True when every component is within `tolerance` of the given one.
    func isClose(to other: RGB, tolerance: Int = 60) -> Bool {
        abs(r - other.r) <= tolerance && abs(g - other.g) <= tolerance && abs(b - other.b) <= tolerance
    }

    static let red = RGB(r: 255, g: 0, b: 0)
    static let green = RGB(r: 0, g: 255, b: 0)
    static let blue = RGB(r: 0, g: 0, b: 255)
    static let white = RGB(r: 255, g: 255, b: 255)
    static let black = RGB(r: 0, g: 0, b: 0)
}

extension ImageCodec.Decoded {
    /// The colour at (x, y) of the decoded RGBA picture.
    func rgb(_ x: Int, _ y: Int) -> RGB {
        let p = image.pixels[y * image.width + x]
        return RGB(r: Int(p & 0xFF), g: Int((p >> 8) & 0xFF), b: Int((p >> 16) & 0xFF))
    }
}

extension Support {
    /// Decodes the first picture of `path` at its stored size.
    static func decode(_ path: String) throws -> ImageCodec.Decoded {
        try ImageCodec.decodeFirstPicture(path, maxPixels: 100_000_000) { ($0, $1) }
    }

}

/// Builds WAV files byte by byte, so the tests control every header field.
enum WAVBuilder {
    /// A RIFF/WAVE file from a `fmt ` chunk body and PCM data.
    static func riff(fmt: [UInt8], data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = Array("RIFF".utf8) + Support.le32(4 + 8 + fmt.count + 8 + data.count) + Array("WAVE".utf8)
        out += Array("fmt ".utf8) + Support.le32(fmt.count) + fmt
        out += Array("data".utf8) + Support.le32(data.count) + data
        return out
    }

    /// A plain `fmt ` chunk body (WAVEFORMATEX without extension).
    static func plainFormat(tag: Int, channels: Int, rate: Int, bits: Int) -> [UInt8] {
        let block = channels * bits / 8
        return Support.le16(tag) + Support.le16(channels) + Support.le32(rate) + Support.le32(rate * block) + Support.le16(block) + Support.le16(bits)
    }

    /// A 5.1 (FL FR FC LFE BL BR), 24-bit WAVE_FORMAT_EXTENSIBLE file whose only sound is a 440 Hz tone
    /// in the centre channel: a downmix that just keeps the first two channels would be silent.
    static func surround51(seconds: Double, rate: Int) -> [UInt8] {
        let channels = 6, bits = 24
        let block = channels * bits / 8
        var fmt = Support.le16(0xFFFE) + Support.le16(channels) + Support.le32(rate) + Support.le32(rate * block)
        fmt += Support.le16(block) + Support.le16(bits) + Support.le16(22) + Support.le16(bits) + Support.le32(0x3F)
        fmt += [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        let frames = Int(seconds * Double(rate))
        var data = [UInt8](repeating: 0, count: frames * block)
        data.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<frames {
                let value = Int32(0.5 * 8_388_607 * sin(2 * Double.pi * 440 * Double(i) / Double(rate)))
                let at = i * block + 2 * 3  // channel 2 = front centre
                buffer[at] = UInt8(truncatingIfNeeded: value)
                buffer[at + 1] = UInt8(truncatingIfNeeded: value >> 8)
                buffer[at + 2] = UInt8(truncatingIfNeeded: value >> 16)
            }
        }
        return riff(fmt: fmt, data: data)
    }

    /// A 16-bit mono 440 Hz PCM WAV.
    static func mono16(seconds: Double, rate: Int, tag: Int = 1) -> [UInt8] {
        let frames = Int(seconds * Double(rate))
        var data = [UInt8](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            let value = Int16(0.3 * 32_767 * sin(2 * Double.pi * 440 * Double(i) / Double(rate)))
            data[2 * i] = UInt8(truncatingIfNeeded: value)
            data[2 * i + 1] = UInt8(truncatingIfNeeded: value >> 8)
        }
        return riff(fmt: plainFormat(tag: tag, channels: 1, rate: rate, bits: 16), data: data)
    }
}
