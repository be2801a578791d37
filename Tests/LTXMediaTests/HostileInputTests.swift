import Foundation
import Testing
@testable import LTXMedia

/// Files crafted to crash, hang or exhaust the media code (fixtures/hostile/, made by make-hostile.py):
/// each must end in a typed error naming the file, or in a bounded result, never in a trap.
@Suite("Hostile input")
struct HostileInputTests {
    static let hugePNG = Support.fixture("hostile/png-4294967295x4294967295.png")
    static let hugeTIFF = Support.fixture("hostile/tiff-4294967295x4294967295.tif")
    static let gzipMP3 = Support.fixture("hostile/gzip-named.mp3")
    static let narrowPNG = Support.fixture("hostile/narrow-3x200.png")
    static let escapePNG = Support.fixture("hostile/escape-chunk.png")

    @Test("a header claiming 4294967295x4294967295 is a decompression bomb, not an overflow trap", arguments: [hugePNG, hugeTIFF])
    func hugeDimensions(path: String) throws {
        let header = try #require(try Support.bytes(path).withUnsafeBytes { ImageHeader.read($0) })
        #expect(header.width == 4_294_967_295 && header.height == 4_294_967_295)
        let error = try #require(throws: MediaError.self) {
            try ImagePreflight.run(path, target: ImageTarget(width: 1920, height: 1080), outputDirectory: nil)
        }
        #expect(error.kind == .decompressionBomb)
        #expect(error.reason.contains("4294967295x4294967295"), "\(error)")
        #expect(error.reason.contains("18446744065120 megapixels"), "\(error)")
        #expect(error.description.hasPrefix(path + ": "))
        // Probing reads the same header through FFmpeg: an error or a description, never a trap.
        do { _ = try MediaProbe.probe(path) } catch { #expect(error.path == path) }
        #expect(throws: MediaError.self) { try VideoVerifier.verify(path, against: VerificationRequest()) }
    }

    @Test("a gzip stream named .mp3 is refused before FFmpeg's libgme demuxer inflates it, everywhere a file is opened")
    func gzipNamedMP3() throws {
        let path = Self.gzipMP3
        let errors: [MediaError] = [
            try #require(throws: MediaError.self) { try MediaProbe.probe(path) },
            try #require(throws: MediaError.self) { try InputKind.detect(path) },
            try #require(throws: MediaError.self) { try AudioPreflight.run(path, target: AudioTarget(maxDuration: 10), outputDirectory: nil) },
            try #require(throws: MediaError.self) { try VideoVerifier.verify(path, against: VerificationRequest()) },
            try #require(throws: MediaError.self) { try ContactSheet.make(fromVideo: path) },
        ]
        for error in errors {
            #expect(error.kind == .unsupportedFormat, "\(error)")
            #expect(error.reason.contains("libgme"), "\(error)")
            #expect(error.reason.contains("does not open"), "\(error)")
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test("a still picture is not a video: verify and the contact sheet refuse it instead of passing one frame as 8n+1")
    func stillImageIsNotVideo() throws {
        for path in [Support.fixture("media/logo-alpha.png"), Support.fixture("media/quadrants-4x3.jpg"), Self.escapePNG] {
            let error = try #require(throws: MediaError.self) { try VideoVerifier.verify(path, against: VerificationRequest()) }
            #expect(error.kind == .notMedia, "\(error)")
            #expect(error.reason.contains("still image"), "\(error)")
            #expect(throws: MediaError.self) { try ContactSheet.make(fromVideo: path) }
        }
        #expect(try VideoVerifier.verify(Support.fixture("media/anim-4x3.gif"), against: VerificationRequest()).measured.frames > 0)
    }

    @Test("only whitelisted demuxers and decoders open: a forced non-whitelisted container is refused")
    func policy() throws {
        #expect(InputPolicy.allowsDemuxer("mov,mp4,m4a,3gp,3g2,mj2"))
        #expect(InputPolicy.allowsDemuxer("matroska,webm"))
        #expect(!InputPolicy.allowsDemuxer("libgme"))
        #expect(!InputPolicy.allowsDemuxer("hls"))
        #expect(!InputPolicy.allowsDemuxer("concat"))
        #expect(InputPolicy.allowsDecoder("pcm_s24le"))
        #expect(!InputPolicy.allowsDecoder("libgme"))
        #expect(InputPolicy.codecWhitelist.split(separator: ",").contains("h264"))
        #expect(InputPolicy.codecWhitelist.split(separator: ",").contains("mp3float"))
        let forced = try #require(throws: FFmpegError.self) {
            try InputContext(path: Support.fixture("media/voice-3s.wav"), formatName: "concat")
        }
        #expect(forced.code == InputPolicy.refusedDemuxer)
        // A name that looks like a protocol (`concat:`) is still read as a local file.
        try Support.withTemporaryDirectory { dir in
            let copy = try Support.copyFixture("media/voice-3s.wav", into: dir, as: "concat:voice.wav")
            #expect(try MediaProbe.probe(copy).audio?.sampleRate == 22_050)
        }
    }

    @Test("a 3x200 PNG preflights to a 1920x1080 crop: the window is cut first, so no step is larger than the target")
    func narrowStripCrop() throws {
        let target = ImageTarget(width: 1920, height: 1080)
        let header = try #require(try Support.bytes(Self.narrowPNG).withUnsafeBytes { ImageHeader.read($0) })
        let plan = ImagePreflight.Plan(header: header, size: 87, target: target)
        let step = plan.scaleStep(storedWidth: 3, storedHeight: 200)
        #expect(step == ImageCodec.ScaleStep(cropX: 0, cropY: 99, cropWidth: 3, cropHeight: 2, width: 1920, height: 1080))
        try Support.withTemporaryDirectory { dir in
            let report = try ImagePreflight.run(Self.narrowPNG, target: target, outputDirectory: dir)
            #expect(report.actions.map(\.action).contains(.cropped))
            let output = try #require(report.output)
            let written = try #require(try Support.bytes(output).withUnsafeBytes { ImageHeader.read($0) })
            #expect(written.format == .jpeg && written.width == 1920 && written.height == 1080)
            let decoded = try Support.decode(output)
            #expect(decoded.rgb(960, 540).isClose(to: RGB(r: 200, g: 30, b: 30), tolerance: 20), "\(decoded.rgb(960, 540))")
        }
    }

    @Test("a 1-bit picture (8 pixels a byte) is cropped off-centre correctly: black left, white right")
    func oneBitCrop() throws {
        try Support.withTemporaryDirectory { dir in
            let report = try ImagePreflight.run(Support.fixture("hostile/mono-1bit-40x10.png"), target: ImageTarget(width: 1920, height: 1080), outputDirectory: dir)
            let decoded = try Support.decode(try #require(report.output))
            #expect(decoded.image.width == 1920 && decoded.image.height == 1080)
            #expect(decoded.rgb(200, 540).isClose(to: .black, tolerance: 30), "\(decoded.rgb(200, 540))")
            #expect(decoded.rgb(1720, 540).isClose(to: .white, tolerance: 30), "\(decoded.rgb(1720, 540))")
        }
    }

    @Test("crop windows: rotated pictures are cut in stored space, the output never exceeds the target")
    func cropWindows() {
        let target = ImageTarget(width: 1920, height: 1080)
        let rotated = ImagePreflight.Plan(header: ImageHeader(format: .jpeg, width: 400, height: 300, orientation: 6, structuralDamage: nil), size: 1, target: target)
        // Stored 400x300 stands 300x400: the 16:9 window is 300x169 upright, 169x300 stored, scaled to 1080x1920 stored.
        #expect(rotated.scaleStep(storedWidth: 400, storedHeight: 300)
            == ImageCodec.ScaleStep(cropX: 115, cropY: 0, cropWidth: 169, cropHeight: 300, width: 1080, height: 1920))
        let wide = ImagePreflight.Plan(header: ImageHeader(format: .png, width: 100_000, height: 1, orientation: 1, structuralDamage: nil), size: 1, target: target)
        #expect(wide.scaleStep(storedWidth: 100_000, storedHeight: 1)
            == ImageCodec.ScaleStep(cropX: 49_999, cropY: 0, cropWidth: 2, cropHeight: 1, width: 1920, height: 1080))
        let exact = ImagePreflight.Plan(header: ImageHeader(format: .png, width: 1920, height: 1080, orientation: 1, structuralDamage: nil), size: 1, target: target)
        #expect(exact.scaleStep(storedWidth: 1920, storedHeight: 1080)
            == ImageCodec.ScaleStep(storedWidth: 1920, storedHeight: 1080, width: 1920, height: 1080))
        let pad = ImagePreflight.Plan(header: ImageHeader(format: .png, width: 3, height: 200, orientation: 1, structuralDamage: nil), size: 1, target: ImageTarget(width: 1920, height: 1080, fit: .pad))
        let padStep = pad.scaleStep(storedWidth: 3, storedHeight: 200)
        #expect(padStep.width <= 1920 && padStep.height == 1080)
    }

    @Test("a scale step over the pixel budget is refused before anything is allocated")
    func outputBudget() throws {
        let error = try #require(throws: MediaError.self) {
            try ImageCodec.decodeFirstPicture(Self.narrowPNG, maxPixels: 100_000_000, outputBudget: 2_073_600) { w, h in
                ImageCodec.ScaleStep(storedWidth: w, storedHeight: h, width: 1920, height: 128_000)
            }
        }
        #expect(error.kind == .decompressionBomb)
        #expect(error.reason.contains("1920x128000"))
    }

    @Test("control bytes a file smuggles into an error (a PNG chunk named ESC [2J) are escaped")
    func escapedErrors() throws {
        let error = try #require(throws: MediaError.self) {
            try ImagePreflight.run(Self.escapePNG, target: ImageTarget(width: 1920, height: 1080), outputDirectory: nil)
        }
        #expect(error.kind == .damaged)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(error.description.debugDescription)")
        #expect(error.reason.contains("\\u{1B}[2J"), "\(error.reason)")
        let named = MediaError(.damaged, path: "a\u{1B}]0;title\u{07}.png", reason: "line\nbreak\u{9B}2J é ✓")
        #expect(named.description == "a\\u{1B}]0;title\\u{7}.png: line\\u{A}break\\u{9B}2J é ✓")
        #expect(named.path == "a\u{1B}]0;title\u{07}.png")
        #expect(PrintableText.escaped("plain text, accents é, tabs? no\t") == "plain text, accents é, tabs? no\\u{9}")
        #expect(PrintableText.escaped("right\u{202E}txt.exe") == "right\\u{202E}txt.exe")
    }

    @Test("numbers from files and requests never trap: rationals, frame counts, durations")
    func boundedArithmetic() {
        #expect(Rational(parsing: "9223372036854775807.5") == nil)
        #expect(Rational(parsing: "99999999999999999999/1") == nil)
        #expect(Rational(Int.min, -1).denominator == 1)
        #expect(Rational(Int.min, -1).numerator == Int.max)
        #expect(Rational(1, Int.min).denominator > 0)
        #expect(Rational(-6, -4) == Rational(3, 2))
        #expect(TestPattern.lightricksFrameCount(duration: .infinity, fps: Rational(25, 1)) == TestPattern.maxFrameCount)
        #expect(TestPattern.lightricksFrameCount(duration: 1e300, fps: Rational(25, 1)) == TestPattern.maxFrameCount)
        #expect(TestPattern.lightricksFrameCount(duration: .nan, fps: Rational(25, 1)) == 9)
        #expect(TestPattern.maxFrameCount % 8 == 1)
        #expect(VideoVerifier.format(1e300) == "1e+300")
        #expect(VideoVerifier.format(.infinity) == "inf")
        #expect(VideoVerifier.format(5) == "5")
        #expect(AudioPreflight.safeSampleCount(maxDuration: .infinity) >= AudioPreflight.mp3FrameSamples)
        #expect(CheckedArithmetic.product(Int(UInt32.max), Int(UInt32.max)) == nil)
        #expect(CheckedArithmetic.product(65_535, 65_535) == 4_294_836_225)
        #expect(CheckedArithmetic.product(Int.max, 2) == nil)
        #expect(CheckedArithmetic.integer(.nan) == nil)
        #expect(CheckedArithmetic.sum(.max, 1) == nil)
        #expect(CheckedArithmetic.difference(.min, 1) == nil)
    }

    @Test("a test pattern outside what the writer can encode is an error, not an Int32 trap")
    func patternLimits() throws {
        try Support.withTemporaryDirectory { dir in
            let path = Support.path(dir, "x.mp4")
            for pattern in [
                TestPattern(width: 320, height: 180, fps: Rational(Int.max, 1), frameCount: 9),
                TestPattern(width: 1 << 20, height: 180, fps: Rational(25, 1), frameCount: 9),
                TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: Int.max),
            ] {
                let error = try #require(throws: MediaError.self) { try TestPatternWriter.write(pattern, to: path) }
                #expect(error.kind == .unsupportedFormat)
            }
            #expect(try Support.listing(dir).isEmpty)
        }
    }
}
