import Foundation
import Testing
@testable import LTXMedia

/// Every packet payload of the best audio stream, in file order.
private func audioPackets(_ path: String) throws -> [[UInt8]] {
    let input = try MediaProbe.openMedia(path)
    guard let index = input.bestAudioStream else { return [] }
    input.discardAll(except: [index])
    let packet = try Packet()
    var payloads: [[UInt8]] = []
    while try input.read(into: packet) {
        if packet.streamIndex == index { payloads.append(packet.bytes) }
        packet.unref()
    }
    return payloads
}

/// `deliver: exact`: a render one block taller than asked, cropped to the size asked for.
@Suite("ExactSizeDelivery.crop")
struct ExactSizeDeliveryTests {
    @Test("a 320x192 render becomes 320x180: every frame at the same rate, the audio copied byte for byte, and it verifies")
    func cropsToTheRequestedSize() throws {
        try Support.withTemporaryDirectory { dir in
            let render = Support.path(dir, "render.mp4"), delivered = Support.path(dir, "delivered.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 192, fps: Rational(25, 1), frameCount: 25), to: render)
            let before = try Support.bytes(render)

            let outcome = try ExactSizeDelivery.crop(input: render, output: delivered, width: 320, height: 180)
            #expect(outcome.frames == 25 && outcome.width == 320 && outcome.height == 180 && outcome.top == 6 && outcome.left == 0)
            #expect(outcome.audioCopied && outcome.audioPackets > 0)

            let info = try MediaProbe.probe(delivered)
            #expect(info.video?.width == 320 && info.video?.height == 180)
            #expect(info.video?.frameCount == 25)
            #expect(info.video?.fps == Rational(25, 1))
            #expect(info.video?.codec == "h264")
            #expect(info.audio?.codec == "aac")
            #expect(try audioPackets(delivered) == audioPackets(render))
            #expect(try Support.bytes(render) == before, "the render is never changed")

            let request = VerificationRequest(fps: Rational(25, 1), duration: 1, width: 320, height: 180, audioExpected: true, deep: true,
                                              content: ContentExpectation())
            let report = try VideoVerifier.verify(delivered, against: request)
            #expect(report.passed, "\(report.failures)")
        }
    }

    @Test("a size larger than the picture, or odd, is refused naming the file, and nothing is written")
    func refusesSizesThatDoNotFit() throws {
        try Support.withTemporaryDirectory { dir in
            let render = Support.path(dir, "render.mp4"), delivered = Support.path(dir, "delivered.mp4")
            try TestPatternWriter.write(TestPattern(width: 320, height: 192, fps: Rational(25, 1), frameCount: 9, audio: false), to: render)
            for (width, height) in [(320, 200), (321, 180)] {
                let error = #expect(throws: MediaError.self) { try ExactSizeDelivery.crop(input: render, output: delivered, width: width, height: height) }
                #expect(error?.path == render)
                #expect(error?.kind == .unsupportedFormat)
            }
            #expect(!FileManager.default.fileExists(atPath: delivered))
            let silent = try ExactSizeDelivery.crop(input: render, output: delivered, width: 160, height: 90)
            #expect(!silent.audioCopied && silent.frames == 9 && silent.left == 80 && silent.top == 50)
            #expect(try MediaProbe.probe(delivered).audio == nil)
        }
    }
}
