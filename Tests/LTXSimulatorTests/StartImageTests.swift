import Foundation
import Testing
@testable import LTXMedia
@testable import LTXSimulator

/// Luma (BT.601 weights) of an RGBA word (0xAABBGGRR).
private func luma(_ pixel: UInt32) -> Double {
    0.299 * Double(pixel & 0xFF) + 0.587 * Double((pixel >> 8) & 0xFF) + 0.114 * Double((pixel >> 16) & 0xFF)
}

/// Mean absolute luma difference of two pictures of the same size (0 identical … 255 opposite).
func lumaDistance(_ a: [UInt32], _ b: [UInt32]) -> Double {
    guard a.count == b.count, !a.isEmpty else { return 255 }
    return zip(a, b).reduce(0.0) { $0 + abs(luma($1.0) - luma($1.1)) } / Double(a.count)
}

/// Frame `index` of a video as RGBA pixels.
func videoFrame(_ path: String, _ index: Int) throws -> [UInt32] {
    let input = try MediaProbe.openMedia(path)
    let frame = try #require(try ExactFrame.decode(input, videoIndex: 0, target: index, seek: false))
    return try ImageCodec.toRGBA(frame, width: frame.width, height: frame.height).pixels
}

/// What the start image should look like at `width × height`: LTXMedia's own preflight of it, decoded by FFmpeg.
func preflightedPicture(_ bytes: [UInt8], width: Int, height: Int) throws -> [UInt32] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-expected-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("input").path
    try Data(bytes).write(to: URL(fileURLWithPath: input))
    var target = ImageTarget(width: width, height: height)
    target.forceTranscode = true
    let output = try #require(try ImagePreflight.run(input, target: target, outputDirectory: folder.path).output)
    return try ImageCodec.decodeFirstPicture(output, maxPixels: 100_000_000) { ($0, $1) }.image.pixels
}

@Suite("start images: image-to-video begins with the start image")
struct StartImageTests {
    @Test("the JPEG decoder agrees with FFmpeg on the fixture JPEGs", arguments: [
        "landscape-16x9.jpg", "quadrants-4x3.jpg", "portrait-exif6.jpg",
    ])
    func jpegDecoder(_ name: String) throws {
        let bytes = try Harness.fixture(name)
        let ours = try #require(JPEGDecoder.decode(bytes), "\(name) did not decode")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-jpeg-\(UUID().uuidString).jpg").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reference = try ImageCodec.decodeFirstPicture(path, maxPixels: 100_000_000) { ($0, $1) }
        #expect(ours.width == reference.sourceWidth && ours.height == reference.sourceHeight)
        // Our Y plane against FFmpeg's RGB converted back to luma.
        var total = 0.0
        for index in 0..<(ours.width * ours.height) {
            total += abs(Double(ours.planes[0][index]) - luma(reference.image.pixels[index]))
        }
        #expect(total / Double(ours.width * ours.height) < 3, "\(name)")
        #expect(JPEGDecoder.decode(Array("not a jpeg".utf8)) == nil)
    }

    @Test("the JPEG decoder survives every truncation and corruption of a fixture (nil or a picture, never a crash)")
    func jpegDecoderRobust() throws {
        let bytes = try Harness.fixture("quadrants-4x3.jpg")
        for length in stride(from: 0, to: bytes.count, by: 37) {
            if let picture = JPEGDecoder.decode(Array(bytes.prefix(length))) {
                #expect(picture.planes.allSatisfy { $0.count == picture.width * picture.height })
            }
        }
        for position in stride(from: 2, to: min(bytes.count, 700), by: 11) {
            var damaged = bytes
            damaged[position] ^= 0x5A
            if let picture = JPEGDecoder.decode(damaged) {
                #expect(picture.planes.allSatisfy { $0.count == picture.width * picture.height })
            }
        }
    }

    @Test("the first frame is the start image brought to the video's size; later frames move")
    func firstFrameIsTheStartImage() throws {
        let image = try Harness.fixture("quadrants-4x3.jpg")
        let shape = TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9, audio: false)
        let expected = try preflightedPicture(image, width: 320, height: 180)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-start-\(UUID().uuidString).mp4").path
        try Data(ContentVideoWriter.build(shape, content: VideoContent(startImage: StartImage(image)))).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try videoFrame(path, 0)
        let last = try videoFrame(path, 8)
        #expect(lumaDistance(first, expected) < 4)
        #expect(first != last)
        // Another picture is far from it.
        let other = ContentVideoWriter.build(shape, content: VideoContent(picture: .otherPicture, startImage: nil))
        let otherPath = path + ".other.mp4"
        try Data(other).write(to: URL(fileURLWithPath: otherPath))
        defer { try? FileManager.default.removeItem(atPath: otherPath) }
        let otherFirst = try videoFrame(otherPath, 0)
        #expect(lumaDistance(otherFirst, expected) > 30)
    }
}

extension V2Suites {
    @Suite("ltx-v2 image-to-video content")
    struct V2StartImageTests {
        @Test("image-to-video over HTTP starts from the uploaded image; [sim:other-image] starts elsewhere")
        func imageToVideo() async throws {
            let image = try Harness.fixture("landscape-16x9.jpg")
            let expected = try preflightedPicture(image, width: 1280, height: 720)
            try await Harness.v2 { sim in
                let storage = try await sim.v2Upload(image)
                var distances: [Double] = []
                for prompt in ["a slow pan", "a slow pan [sim:other-image]"] {
                    let id = try await sim.v2Accepted("image-to-video", [
                        "prompt": prompt, "model": "ltx-2-3-fast", "resolution": "1280x720", "duration": 2, "fps": 24, "image_uri": storage,
                    ])
                    let path = try await sim.v2DownloadToFile("image-to-video", id)
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let info = try MediaProbe.probe(path)
                    #expect(info.video?.frameCount == 49)
                    #expect(info.audio != nil)
                    let first = try videoFrame(path, 0)
                    distances.append(lumaDistance(first, expected))
                }
                #expect(distances[0] < 4, "\(distances)")
                #expect(distances[1] > 20, "\(distances)")
                #expect(await sim.server.stats().contentFailures == 1)
            }
        }
    }
}
