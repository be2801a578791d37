import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

@Suite("ExactFrame")
struct ExactFrameTests {
    /// Mean absolute difference per channel (R, G, B) between two pictures of the same size, over every 3rd pixel.
    private func difference(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        var total = 0
        var samples = 0
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                for i in stride(from: 0, to: min(pa.count, pb.count), by: 3) {
                    let p = pa[i], q = pb[i]
                    total += abs(Int(p & 0xFF) - Int(q & 0xFF)) + abs(Int((p >> 8) & 0xFF) - Int((q >> 8) & 0xFF))
                        + abs(Int((p >> 16) & 0xFF) - Int((q >> 16) & 0xFF))
                    samples += 3
                }
            }
        }
        return Double(total) / Double(max(samples, 1))
    }

    /// The frame `ExactFrame.decode` gives for `target`, as RGBA at its stored size.
    private func exactFrame(_ video: String, target: Int, seek: Bool) throws -> (image: RGBAImage, seconds: Double) {
        let input = try InputContext(path: video)
        let index = try #require(input.firstVideoStream)
        let frame = try #require(try ExactFrame.decode(input, videoIndex: index, target: target, seek: seek))
        let timeBase = input.stream(index).pointee.time_base
        let seconds = Double(frame.pointer.pointee.best_effort_timestamp) * Double(timeBase.num) / Double(timeBase.den)
        return (try ImageCodec.toRGBA(frame, width: frame.width, height: frame.height), seconds)
    }

    @Test("past the first keyframe: seeks to the keyframe before the target and decodes forward to it (121 frames, GOP 50)")
    func seeksPastKeyframes() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, width: 64, height: 36, frames: 121, audio: true)
            let frames = try Support.decodeAllFrames(video)
            try #require(frames.count == 121)
            for seek in [true, false] {
                let (image, seconds) = try exactFrame(video, target: 60, seek: seek)
                #expect(abs(seconds - 60.0 / 25.0) < 0.001, "seek \(seek)")
                let differences = frames.map { difference(image, $0) }
                #expect(differences.indices.min { differences[$0] < differences[$1] } == 60, "seek \(seek): \(differences.map { Int($0) })")
                #expect(differences[60] == 0, "seek \(seek)")
            }
        }
    }

    @Test("a target past the end gives the last frame that decodes")
    func pastTheEnd() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 9, audio: false)
            let frames = try Support.decodeAllFrames(video)
            try #require(frames.count == 9)
            let (image, _) = try exactFrame(video, target: 40, seek: false)
            #expect(difference(image, frames[8]) == 0)
        }
    }
}
