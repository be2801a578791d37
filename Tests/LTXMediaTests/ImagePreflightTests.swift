import Foundation
import Testing
@testable import LTXMedia

/// Runs ImagePreflight and checks that the input's bytes and modification time are unchanged afterwards,
/// whether it succeeded or threw.
private func preflight(
    _ input: String, target: ImageTarget, outputDirectory: String?, sourceLocation: SourceLocation = #_sourceLocation
) throws -> PreflightReport {
    let before = try? FileSnapshot(input)
    defer {
        #expect((try? FileSnapshot(input)) == before, "the input \(input) was modified", sourceLocation: sourceLocation)
    }
    return try ImagePreflight.run(input, target: target, outputDirectory: outputDirectory)
}

/// The actions of a report, by kind.
private func kinds(_ report: PreflightReport) -> [PreflightAction.Kind] { report.actions.map(\.action) }

/// Asserts the four corners of `decoded` (inset by `inset` pixels) have the given colours.
private func expectCorners(
    _ decoded: ImageCodec.Decoded, topLeft: RGB, topRight: RGB, bottomLeft: RGB, bottomRight: RGB,
    inset: Int = 6, sourceLocation: SourceLocation = #_sourceLocation
) {
    let w = decoded.image.width, h = decoded.image.height
    let corners = [
        ("top-left", decoded.rgb(inset, inset), topLeft), ("top-right", decoded.rgb(w - 1 - inset, inset), topRight),
        ("bottom-left", decoded.rgb(inset, h - 1 - inset), bottomLeft), ("bottom-right", decoded.rgb(w - 1 - inset, h - 1 - inset), bottomRight),
    ]
    for (name, actual, expected) in corners {
        #expect(actual.isClose(to: expected), "\(name) is \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }
}

/// Mean absolute difference per channel between two decoded pictures of the same size.
private func meanDifference(_ a: ImageCodec.Decoded, _ b: ImageCodec.Decoded) -> Double {
    guard a.image.width == b.image.width, a.image.height == b.image.height else { return .infinity }
    var total = 0
    for (p, q) in zip(a.image.pixels, b.image.pixels) {
        for shift in [0, 8, 16] as [UInt32] { total += abs(Int((p >> shift) & 0xFF) - Int((q >> shift) & 0xFF)) }
    }
    return Double(total) / Double(a.image.pixels.count * 3)
}

@Suite("ImagePreflight")
struct ImagePreflightTests {
    let fullHD = ImageTarget(width: 1920, height: 1080)
    let small = ImageTarget(width: 320, height: 180)

    @Test("a 16:9 JPEG passes through byte-identical and nothing is written")
    func passThrough() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/landscape-16x9.jpg")
            let before = try FileSnapshot(input)
            let out = Support.path(dir, "out")
            let report = try preflight(input, target: fullHD, outputDirectory: out)
            #expect(report.passedThrough)
            #expect(!report.needsFix)
            #expect(report.output == input)
            #expect(report.outputSize == Int64(before.bytes.count))
            #expect(report.outputContentType == "image/jpeg")
            #expect(report.detectedFormat == "jpeg")
            #expect(kinds(report) == [.passedThrough])
            #expect(try FileSnapshot(input) == before)
            #expect(!FileManager.default.fileExists(atPath: out), "a pass-through writes nothing, not even the folder")
        }
    }

    @Test("a 16:9 WebP passes through as WebP")
    func webPPassesThrough() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/still-16x9.webp")
            let report = try preflight(input, target: small, outputDirectory: dir)
            #expect(report.detectedFormat == "webp")
            #expect(report.passedThrough)
            #expect(report.output == input)
            #expect(report.outputContentType == "image/webp")
            #expect(try Support.listing(dir).isEmpty)
        }
    }

    @Test("a 4:3 quadrant card is centre-cropped to exactly the target size, quadrants intact")
    func cropsToTarget() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/quadrants-4x3.jpg")
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: small, outputDirectory: dir)
            #expect(!report.passedThrough)
            #expect(kinds(report) == [.transcoded, .cropped, .resized])
            let output = try #require(report.output)
            #expect(output == Support.path(dir, "quadrants-4x3.jpg"))
            #expect(report.outputContentType == "image/jpeg")
            #expect(report.outputSize == (try Support.size(output)))
            let decoded = try Support.decode(output)
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            expectCorners(decoded, topLeft: .red, topRight: .green, bottomLeft: .blue, bottomRight: .white)
            // The crop is centred: the colour boundary stays in the middle of both axes.
            #expect(decoded.rgb(150, 80).isClose(to: .red) && decoded.rgb(170, 80).isClose(to: .green))
            #expect(decoded.rgb(150, 100).isClose(to: .blue) && decoded.rgb(170, 100).isClose(to: .white))
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("fit pad letterboxes a portrait picture with black bars left and right")
    func padsPortrait() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/portrait-exif6.jpg")  // displays as 480x640
            let report = try preflight(input, target: ImageTarget(width: 320, height: 180, fit: .pad), outputDirectory: dir)
            #expect(kinds(report).contains(.padded))
            #expect(!kinds(report).contains(.cropped))
            let decoded = try Support.decode(try #require(report.output))
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            // 480x640 scaled into 320x180 is 135x180, centred: bars are x < 92 and x >= 227.
            for y in [5, 90, 174] {
                #expect(decoded.rgb(10, y).isClose(to: .black, tolerance: 20), "left bar at y=\(y) is \(decoded.rgb(10, y))")
                #expect(decoded.rgb(309, y).isClose(to: .black, tolerance: 20), "right bar at y=\(y) is \(decoded.rgb(309, y))")
            }
            // The picture itself, upright: blue top-left, red top-right, white bottom-left, green bottom-right.
            #expect(decoded.rgb(110, 20).isClose(to: .blue))
            #expect(decoded.rgb(210, 20).isClose(to: .red))
            #expect(decoded.rgb(110, 160).isClose(to: .white))
            #expect(decoded.rgb(210, 160).isClose(to: .green))
        }
    }

    @Test("EXIF orientation 6 is applied: the output stands upright")
    func appliesExifOrientation() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/portrait-exif6.jpg")
            let report = try preflight(input, target: ImageTarget(width: 480, height: 640), outputDirectory: dir)
            #expect(!report.passedThrough, "orientation must be baked into the pixels even when the aspect matches")
            #expect(kinds(report) == [.transcoded, .rotated])
            #expect(report.inputDescription.contains("480x640"))
            #expect(report.inputDescription.contains("EXIF orientation 6"))
            let decoded = try Support.decode(try #require(report.output))
            #expect(decoded.sourceWidth == 480 && decoded.sourceHeight == 640)
            expectCorners(decoded, topLeft: .blue, topRight: .red, bottomLeft: .white, bottomRight: .green)
            // Nothing in the output file asks for a second rotation.
            let header = try Support.bytes(try #require(report.output)).withUnsafeBytes { ImageHeader.read($0) }
            #expect(header?.orientation == 1)
        }
    }

    @Test("an alpha PNG is flattened over white")
    func flattensAlpha() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/logo-alpha.png")
            let report = try preflight(input, target: small, outputDirectory: dir)
            #expect(kinds(report).contains(.flattened))
            #expect(report.inputDescription.contains("alpha"))
            let output = try #require(report.output)
            #expect(Array(try Support.bytes(output).prefix(3)) == [0xFF, 0xD8, 0xFF])
            let decoded = try Support.decode(output)
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            for (x, y) in [(0, 0), (319, 0), (0, 179), (319, 179)] {
                #expect(decoded.rgb(x, y).isClose(to: .white, tolerance: 12), "corner (\(x), \(y)) is \(decoded.rgb(x, y))")
            }
            // The opaque disc in the middle keeps its colours (it is not washed out to white).
            let centre = decoded.rgb(160, 90)
            #expect(!centre.isClose(to: .white, tolerance: 12), "centre is \(centre)")
        }
    }

    @Test("a BMP is transcoded to JPEG")
    func transcodesBMP() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/frame-16x9.bmp")
            let report = try preflight(input, target: small, outputDirectory: dir)
            #expect(report.detectedFormat == "bmp")
            #expect(kinds(report) == [.transcoded])
            #expect(report.actions[0].reason.contains("BMP is not accepted"))
            let output = try #require(report.output)
            #expect(output == Support.path(dir, "frame-16x9.jpg"))
            let bytes = try Support.bytes(output)
            #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])
            #expect(Array(bytes.suffix(2)) == [0xFF, 0xD9])
            let decoded = try Support.decode(output)
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            // The JPEG shows the same picture as the BMP.
            let original = try Support.decode(input)
            let difference = meanDifference(decoded, original)
            #expect(difference < 8, "mean difference per channel is \(difference)")
        }
    }

    @Test("a tiny maxBytes forces re-compression and the output fits")
    func recompressesToFit() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/frame-16x9.bmp")
            let picture = try Support.decode(input).image
            let best = try ImageCodec.encodeJPEG(picture, quality: 2).count
            let worst = try ImageCodec.encodeJPEG(picture, quality: 31).count
            try #require(worst < best)
            let limit = Int64((best + worst) / 2)
            let report = try preflight(input, target: ImageTarget(width: 320, height: 180, maxBytes: limit), outputDirectory: dir)
            #expect(kinds(report).contains(.recompressed))
            let output = try #require(report.output)
            let written = try Support.size(output)
            #expect(written <= limit)
            #expect(report.outputSize == written)
        }
    }

    @Test("when even the lowest quality is too big the image is refused and nothing is written")
    func tooLargeEvenAtLowestQuality() throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture("media/frame-16x9.bmp")
            let error = try #require(throws: MediaError.self) {
                try preflight(input, target: ImageTarget(width: 320, height: 180, maxBytes: 300), outputDirectory: dir)
            }
            #expect(error.kind == .tooLarge)
            #expect(try Support.listing(dir).isEmpty)
        }
    }

    @Test("without an output folder a needed fix is reported, not written")
    func needsFixWithoutOutput() throws {
        try Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/quadrants-4x3.jpg", into: dir)
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: small, outputDirectory: nil)
            #expect(report.needsFix)
            #expect(!report.passedThrough)
            #expect(report.output == nil)
            #expect(report.outputSize == nil)
            #expect(kinds(report).contains(.cropped))
            #expect(try Support.listing(dir) == ["quadrants-4x3.jpg"])
            #expect(try FileSnapshot(input) == before)
        }
    }

    @Test("output beside the input never overwrites it: STEM.preflight.jpg")
    func neverOverwritesInput() throws {
        try Support.withTemporaryDirectory { dir in
            let input = try Support.copyFixture("media/quadrants-4x3.jpg", into: dir)
            let before = try FileSnapshot(input)
            let report = try preflight(input, target: small, outputDirectory: dir)
            #expect(report.output == Support.path(dir, "quadrants-4x3.preflight.jpg"))
            #expect(try FileSnapshot(input) == before)
            #expect(try Support.listing(dir) == ["quadrants-4x3.jpg", "quadrants-4x3.preflight.jpg"])

            // A PNG in the same folder gets STEM.jpg: that is not the input, so no suffix is needed.
            let png = try Support.copyFixture("media/logo-alpha.png", into: dir)
            let pngReport = try preflight(png, target: small, outputDirectory: dir)
            #expect(pngReport.output == Support.path(dir, "logo-alpha.jpg"))
            #expect(try Support.listing(dir).filter { $0.hasPrefix(".") }.isEmpty, "no temporary files left behind")
        }
    }

    @Test("damaged and non-image inputs are refused with the right kind and left untouched", arguments: [
        ("damaged/truncated.jpg", MediaError.Kind.damaged),
        ("damaged/no-iend.png", MediaError.Kind.damaged),
        ("damaged/bomb-60000x60000.png", MediaError.Kind.decompressionBomb),
        ("damaged/text-renamed.png", MediaError.Kind.notMedia),
        ("damaged/empty.png", MediaError.Kind.empty),
    ])
    func refusesDamaged(fixture: String, kind: MediaError.Kind) throws {
        try Support.withTemporaryDirectory { dir in
            let input = Support.fixture(fixture)
            let before = try FileSnapshot(input)
            let error = try #require(throws: MediaError.self) {
                try preflight(input, target: small, outputDirectory: dir)
            }
            #expect(error.kind == kind)
            #expect(error.path == input)
            #expect(error.description.hasPrefix(input + ": "))
            #expect(try FileSnapshot(input) == before)
            #expect(try Support.listing(dir).isEmpty)
        }
    }

    @Test("a decompression bomb is refused from its header, before any decoding")
    func bombRefusedBeforeDecoding() throws {
        let error = try #require(throws: MediaError.self) {
            try preflight(Support.fixture("damaged/bomb-60000x60000.png"), target: small, outputDirectory: nil)
        }
        #expect(error.kind == .decompressionBomb)
        #expect(error.reason.contains("60000x60000"))
        #expect(error.reason.contains("refusing to decode"))
        // The limit is the target's: a normal picture over a lowered limit is refused the same way.
        let lowered = ImageTarget(width: 320, height: 180, maxPixels: 100_000)
        let quadrants = try #require(throws: MediaError.self) {
            try preflight(Support.fixture("media/quadrants-4x3.jpg"), target: lowered, outputDirectory: nil)
        }
        #expect(quadrants.kind == .decompressionBomb)
    }

    @Test("a 16-bit PNG is decoded and converted faithfully")
    func sixteenBitPNG() throws {
        try Support.withTemporaryDirectory { dir in
            let report = try preflight(Support.fixture("media/orange-16bit-4x3.png"), target: small, outputDirectory: dir)
            #expect(kinds(report).contains(.cropped))
            let decoded = try Support.decode(try #require(report.output))
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            #expect(decoded.rgb(160, 90).isClose(to: RGB(r: 255, g: 128, b: 0), tolerance: 16), "got \(decoded.rgb(160, 90))")
        }
    }

    @Test("a TIFF is transcoded to a JPEG of the same colour")
    func tiff() throws {
        try Support.withTemporaryDirectory { dir in
            let report = try preflight(Support.fixture("media/teal-16x9.tif"), target: small, outputDirectory: dir)
            #expect(report.detectedFormat == "tiff")
            #expect(kinds(report) == [.transcoded, .resized])
            let decoded = try Support.decode(try #require(report.output))
            #expect(decoded.sourceWidth == 320 && decoded.sourceHeight == 180)
            #expect(decoded.rgb(160, 90).isClose(to: RGB(r: 0, g: 128, b: 128), tolerance: 16), "got \(decoded.rgb(160, 90))")
        }
    }

    @Test("an animated GIF contributes its first frame")
    func animatedGIF() throws {
        try Support.withTemporaryDirectory { dir in
            let report = try preflight(Support.fixture("media/anim-4x3.gif"), target: small, outputDirectory: dir)
            #expect(report.detectedFormat == "gif")
            #expect(kinds(report).contains(.cropped))
            let decoded = try Support.decode(try #require(report.output))
            expectCorners(decoded, topLeft: .red, topRight: .red, bottomLeft: .red, bottomRight: .red)
            #expect(decoded.rgb(160, 90).isClose(to: .red))
        }
    }

    @Test("fit keep sends another aspect unchanged")
    func fitKeep() throws {
        let input = Support.fixture("media/quadrants-4x3.jpg")
        let report = try preflight(input, target: ImageTarget(width: 320, height: 180, fit: .keep), outputDirectory: nil)
        #expect(report.passedThrough)
        #expect(report.output == input)
    }
}
