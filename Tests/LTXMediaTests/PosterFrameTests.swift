import CFFmpeg
import Foundation
import Testing
@testable import LTXMedia

@Suite("PosterFrame")
struct PosterFrameTests {
    /// Every frame of `path`, decoded directly (no seeking) and converted to RGBA at its stored size.
    private func decodeAllFrames(_ path: String) throws -> [RGBAImage] {
        let input = try InputContext(path: path)
        try input.findStreamInfo()
        let index = try #require(input.bestStream(AVMEDIA_TYPE_VIDEO))
        let decoder = try CodecContext.decoder(for: input.stream(index).pointee.codecpar)
        let packet = try Packet()
        let frame = try Frame()
        var frames: [RGBAImage] = []
        var more = true
        while more {
            more = try input.read(into: packet)
            if more && packet.streamIndex != index { packet.unref(); continue }
            _ = try decoder.send(more ? packet : nil)
            packet.unref()
            while try decoder.receive(into: frame) {
                frames.append(try ImageCodec.toRGBA(frame, width: frame.width, height: frame.height))
            }
        }
        return frames
    }

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

    /// Writes the poster of `video` next to it and decodes it back.
    private func poster(_ video: String, maxWidth: Int = 1280) throws -> (bytes: [UInt8], decoded: ImageCodec.Decoded) {
        let bytes = try PosterFrame.jpeg(fromVideo: video, maxWidth: maxWidth)
        let file = video + ".poster.jpg"
        try Support.write(bytes, to: file)
        return (bytes, try Support.decode(file))
    }

    @Test("the poster is a JPEG of the middle frame (N/2 of 49) at the video's size")
    func middleFrame() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 49, audio: false)
            let (bytes, decoded) = try poster(video)
            #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])
            #expect(decoded.image.width == 320 && decoded.image.height == 180)

            let frames = try decodeAllFrames(video)
            try #require(frames.count == 49)
            let differences = frames.map { difference(decoded.image, $0) }
            let closest = differences.indices.min { differences[$0] < differences[$1] }
            #expect(closest == 24, "differences: \(differences.map { Int($0) })")
            #expect(differences[24] * 4 < differences[0])
            #expect(differences[24] < differences[23] && differences[24] < differences[25])
        }
    }

    @Test("past the first keyframe: seeks to the keyframe before frame N/2 and decodes forward to it (121 frames, GOP 50)")
    func seeksPastKeyframes() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, width: 64, height: 36, frames: 121, audio: true)
            let decoded = try poster(video).decoded
            let frames = try decodeAllFrames(video)
            try #require(frames.count == 121)
            let differences = frames.map { difference(decoded.image, $0) }
            let closest = differences.indices.min { differences[$0] < differences[$1] }
            #expect(closest == 60, "differences: \(differences.map { Int($0) })")

            // The seek itself lands on frame 60 (not the decode-from-the-start fallback).
            let input = try InputContext(path: video)
            let index = try #require(input.firstVideoStream)
            let frame = try #require(try PosterFrame.decodeFrame(input, videoIndex: index, target: 60, seek: true))
            let timeBase = input.stream(index).pointee.time_base
            let seconds = Double(frame.pointer.pointee.best_effort_timestamp) * Double(timeBase.num) / Double(timeBase.den)
            #expect(abs(seconds - 60.0 / 25.0) < 0.001)
        }
    }

    @Test("the poster is scaled to maxWidth keeping the aspect ratio, with even sides")
    func scaled() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 9, audio: true)
            let half = try poster(video, maxWidth: 160).decoded
            #expect(half.image.width == 160 && half.image.height == 90)
            let odd = try poster(video, maxWidth: 101).decoded
            #expect(odd.image.width == 100 && odd.image.height == 56)
            // Never enlarged.
            let wide = try poster(video, maxWidth: 4000).decoded
            #expect(wide.image.width == 320 && wide.image.height == 180)
        }
    }

    @Test("a one-frame video gives that frame")
    func singleFrame() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 1, audio: false)
            let decoded = try poster(video).decoded
            let frames = try decodeAllFrames(video)
            try #require(frames.count == 1)
            #expect(difference(decoded.image, frames[0]) < 6)
        }
    }

    @Test("a file cut short of what its index claims gives the last frame that decodes")
    func truncated() throws {
        try Support.withTemporaryDirectory { dir in
            let video = try Support.makeVideo(in: dir, frames: 49, audio: false)
            let frames = try decodeAllFrames(video)
            let bytes = try Support.bytes(video)
            let cut = Support.path(dir, "cut.mp4")
            try Support.write(Array(bytes.prefix(bytes.count * 35 / 100)), to: cut)
            let decoded = try poster(cut).decoded
            let differences = frames.map { difference(decoded.image, $0) }
            let closest = try #require(differences.indices.min { differences[$0] < differences[$1] })
            #expect(closest > 0 && closest < 24, "differences: \(differences.map { Int($0) })")
        }
    }

    @Test("a file that is not a video is refused with a MediaError")
    func notVideo() throws {
        try Support.withTemporaryDirectory { dir in
            let text = Support.path(dir, "notes.mp4")
            try Support.write(Array("this is not a video at all, just some words\n".utf8), to: text)
            let error = #expect(throws: MediaError.self) { try PosterFrame.jpeg(fromVideo: text) }
            #expect(error?.kind == .notMedia)

            let audio = Support.path(dir, "tone.wav")
            try Support.write(WAVBuilder.mono16(seconds: 0.2, rate: 8000), to: audio)
            #expect(throws: MediaError.self) { try PosterFrame.jpeg(fromVideo: audio) }
            #expect((try? PosterFrame.jpeg(fromVideo: audio)) == nil)
            let audioError = #expect(throws: MediaError.self) { try PosterFrame.jpeg(fromVideo: audio) }
            #expect(audioError?.kind == .noVideo)

            let missing = #expect(throws: MediaError.self) { try PosterFrame.jpeg(fromVideo: Support.path(dir, "absent.mp4")) }
            #expect(missing?.kind == .notFound)
        }
    }
}
