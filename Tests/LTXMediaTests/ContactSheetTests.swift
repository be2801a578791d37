import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

@Suite("ContactSheet")
struct ContactSheetTests {
    /// The `width`×`height` window of `image` at (`x`, `y`).
    private func window(_ image: RGBAImage, x: Int, y: Int, width: Int, height: Int) -> RGBAImage {
        var out = RGBAImage(width: width, height: height)
        for row in 0..<height { for column in 0..<width { out.pixels[row * width + column] = image.pixels[(y + row) * image.width + x + column] } }
        return out
    }

    /// Mean absolute difference per channel (R, G, B) between two pictures of the same size.
    private func difference(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        var total = 0
        for (p, q) in zip(a.pixels, b.pixels) {
            total += abs(Int(p & 0xFF) - Int(q & 0xFF)) + abs(Int((p >> 8) & 0xFF) - Int((q >> 8) & 0xFF))
                + abs(Int((p >> 16) & 0xFF) - Int((q >> 16) & 0xFF))
        }
        return Double(total) / Double(max(a.pixels.count * 3, 1))
    }

    /// Writes `bytes` next to `video` and decodes the picture back.
    private func decoded(_ bytes: [UInt8], _ video: String, _ suffix: String) throws -> RGBAImage {
        let file = video + suffix
        try Support.write(bytes, to: file)
        return try Support.decode(file).image
    }

    @Test("a 4x2 sheet of 8 distinct frames, evenly spaced from the first to the last, each in its tile (121 frames, keyframes every 50)")
    func gridOfEightFrames() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, width: 160, height: 90, frames: 121, audio: true)
            let sheet = try ContactSheet.make(fromVideo: video, tileBox: 80)
            #expect(sheet.tileWidth == 80 && sheet.tileHeight == 44)
            #expect(sheet.width == 4 * 80 + 5 * ContactSheet.gutter && sheet.height == 2 * 44 + 3 * ContactSheet.gutter)
            #expect(sheet.frameIndices == [0, 17, 34, 51, 68, 85, 102, 120])
            #expect(Array(sheet.jpeg.prefix(3)) == [0xFF, 0xD8, 0xFF])

            let image = try decoded(sheet.jpeg, video, ".sheet.jpg")
            #expect(image.width == sheet.width && image.height == sheet.height)
            let frames = try Support.decodeAllFrames(video, width: 80, height: 44)
            try #require(frames.count == 121)
            var tiles: [RGBAImage] = []
            for slot in 0..<8 {
                let x = ContactSheet.gutter + (slot % 4) * (80 + ContactSheet.gutter)
                let y = ContactSheet.gutter + (slot / 4) * (44 + ContactSheet.gutter)
                tiles.append(window(image, x: x, y: y, width: 80, height: 44))
            }
            // Each tile is its own frame: closer to it than to its neighbours two frames either side or to any other tile's frame.
            for (slot, tile) in tiles.enumerated() {
                let target = sheet.frameIndices[slot]
                let rivals = Set((target - 2...target + 2).filter { frames.indices.contains($0) } + sheet.frameIndices)
                let closest = rivals.min { difference(tile, frames[$0]) < difference(tile, frames[$1]) }
                #expect(closest == target, "tile \(slot)")
            }
            for a in 0..<8 {
                for b in (a + 1)..<8 { #expect(difference(tiles[a], tiles[b]) > 5, "tiles \(a) and \(b) look alike") }
            }
        }
    }

    @Test("a portrait video gets portrait tiles fitted in the box, with even sides")
    func portraitTiles() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, width: 180, height: 320, frames: 17, audio: false)
            let sheet = try ContactSheet.make(fromVideo: video, tileBox: 100)
            #expect(sheet.tileWidth == 56 && sheet.tileHeight == 100)
            let image = try decoded(sheet.jpeg, video, ".sheet.jpg")
            #expect(image.width == 4 * 56 + 20 && image.height == 2 * 100 + 12)
        }
    }

    @Test("frames all alike: the poster is the middle frame, at the video's size")
    func posterOfUniformVideo() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 121, audio: false)
            let sheet = try ContactSheet.make(fromVideo: video)
            #expect(sheet.posterFrameIndex == 60)
            let poster = try decoded(sheet.poster, video, ".poster.jpg")
            #expect(poster.width == 320 && poster.height == 180)
            let frames = try Support.decodeAllFrames(video, width: 320, height: 180)
            let rivals = [58, 59, 60, 61, 62] + sheet.frameIndices
            #expect(rivals.min { difference(poster, frames[$0]) < difference(poster, frames[$1]) } == 60)
        }
    }

    @Test("a fade-in: the poster is the most detailed candidate (the last frame), not the dim middle one")
    func posterPrefersDetail() throws {
        try Support.withTemporaryDirectory { dir in
            let video = Support.path(dir, "fade.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9, audio: false, picture: .fadeIn), to: video)
            let sheet = try ContactSheet.make(fromVideo: video)
            #expect(sheet.frameIndices == [0, 1, 2, 3, 4, 5, 6, 8])
            #expect(sheet.tileDetails == sheet.tileDetails.sorted() && sheet.tileDetails[0] * 4 < sheet.tileDetails[7], "\(sheet.tileDetails)")
            #expect(sheet.posterFrameIndex == 8)
            let poster = try decoded(sheet.poster, video, ".poster.jpg")
            let frames = try Support.decodeAllFrames(video, width: 320, height: 180)
            #expect(difference(poster, frames[8]) * 3 < difference(poster, frames[4]))
        }
    }

    @Test("the poster is scaled to posterMaxWidth keeping the aspect ratio, with even sides, never enlarged")
    func posterScaled() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 9, audio: true)
            for (maxWidth, width, height) in [(160, 160, 90), (101, 100, 56), (4000, 320, 180)] {
                let poster = try decoded(try ContactSheet.make(fromVideo: video, posterMaxWidth: maxWidth).poster, video, ".poster\(maxWidth).jpg")
                #expect(poster.width == width && poster.height == height, "posterMaxWidth \(maxWidth)")
            }
        }
    }

    @Test("a one-frame video: every tile and the poster show that frame")
    func singleFrame() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 1, audio: false)
            let sheet = try ContactSheet.make(fromVideo: video)
            #expect(sheet.frameIndices == Array(repeating: 0, count: 8) && sheet.posterFrameIndex == 0)
            let frames = try Support.decodeAllFrames(video, width: 320, height: 180)
            try #require(frames.count == 1)
            #expect(difference(try decoded(sheet.poster, video, ".poster.jpg"), frames[0]) < 6)
        }
    }

    @Test("a file cut short of its index still gives a sheet: tiles past the end show the last frame that decodes")
    func truncated() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 49, audio: false)
            let bytes = try Support.bytes(video)
            let cut = Support.path(dir, "cut.mp4")
            try Support.write(Array(bytes.prefix(bytes.count * 40 / 100)), to: cut)
            let sheet = try ContactSheet.make(fromVideo: cut)
            #expect(sheet.frameIndices.first == 0)
            #expect(try #require(sheet.frameIndices.last) < 48)
            #expect(sheet.frameIndices == sheet.frameIndices.sorted())
        }
    }

    @Test("not a video: a MediaError naming the reason")
    func notVideo() throws {
        try Support.withTemporaryDirectory { dir in
            let text = Support.path(dir, "notes.mp4")
            try Support.write(Array("not a video\n".utf8), to: text)
            let error = #expect(throws: MediaError.self) { try ContactSheet.make(fromVideo: text) }
            #expect(error?.kind == .notMedia)
            let audio = Support.path(dir, "tone.wav")
            try Support.write(WAVBuilder.mono16(seconds: 0.2, rate: 8000), to: audio)
            let audioError = #expect(throws: MediaError.self) { try ContactSheet.make(fromVideo: audio) }
            #expect(audioError?.kind == .noVideo)
            let missing = #expect(throws: MediaError.self) { try ContactSheet.make(fromVideo: Support.path(dir, "absent.mp4")) }
            #expect(missing?.kind == .notFound)
        }
    }

    /// Every field of a sheet, the JPEG bytes included, equals the other's.
    private func expectSame(_ a: ContactSheet, _ b: ContactSheet) {
        #expect(a.jpeg == b.jpeg, "sheet JPEGs differ")
        #expect(a.poster == b.poster, "poster JPEGs differ")
        #expect(a.frameIndices == b.frameIndices && a.tileDetails == b.tileDetails && a.posterFrameIndex == b.posterFrameIndex)
        #expect(a.width == b.width && a.height == b.height && a.tileWidth == b.tileWidth && a.tileHeight == b.tileHeight)
    }

    @Test("a deep verification makes the same sheet and poster on its decode of every frame (320x180, 17 frames)")
    func deepVerificationMakesTheSameSheet() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 17, audio: true)
            let verified = try VideoVerifier.verifyMakingContactSheet(video, against: VerificationRequest(deep: true))
            #expect(verified.report.passed)
            #expect(verified.report == (try VideoVerifier.verify(video, against: VerificationRequest(deep: true))))
            expectSame(try #require(verified.contactSheet), try ContactSheet.make(fromVideo: video))
        }
    }

    @Test("the same sheet from the deep pass where the separate decode seeks past keyframes (121 frames, keyframes every 50)")
    func deepVerificationMatchesTheSeekingReader() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, width: 160, height: 90, frames: 121, audio: false)
            let verified = try VideoVerifier.verifyMakingContactSheet(video, against: VerificationRequest(deep: true))
            let sheet = try #require(verified.contactSheet)
            #expect(sheet.frameIndices == [0, 17, 34, 51, 68, 85, 102, 120])
            expectSame(sheet, try ContactSheet.make(fromVideo: video))
        }
    }

    @Test("a fade-in: the deep pass picks the same poster (the most detailed frame) as the separate decode")
    func deepVerificationPicksTheSamePoster() throws {
        try Support.withTemporaryDirectory { dir in
            let video = Support.path(dir, "fade.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 9, audio: false, picture: .fadeIn), to: video)
            let sheet = try #require(try VideoVerifier.verifyMakingContactSheet(video, against: VerificationRequest(deep: true)).contactSheet)
            #expect(sheet.posterFrameIndex == 8)
            expectSame(sheet, try ContactSheet.make(fromVideo: video))
        }
    }

    @Test("quick and sampled verifications decode no frame for the sheet, and a frame that fails to decode leaves none")
    func noSheetWithoutAWholeDecode() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 9, audio: false)
            #expect(try VideoVerifier.verifyMakingContactSheet(video, against: VerificationRequest()).contactSheet == nil)
            let sampled = VerificationRequest(content: ContentExpectation(thresholds: ContentThresholds()))
            #expect(try VideoVerifier.verifyMakingContactSheet(video, against: sampled).contactSheet == nil)

            let bytes = try Support.bytes(try Support.makeVideo(in: dir, name: "long.mp4", frames: 49, audio: false))
            let cut = Support.path(dir, "cut.mp4")
            try Support.write(Array(bytes.prefix(bytes.count * 40 / 100)), to: cut)
            let verified = try VideoVerifier.verifyMakingContactSheet(cut, against: VerificationRequest(deep: true))
            #expect(!verified.report.passed)
            #expect(verified.contactSheet == nil)
        }
    }
}
