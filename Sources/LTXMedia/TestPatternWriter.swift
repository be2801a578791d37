import CFFmpeg
import Foundation

/// The shape of a synthetic test video.
public struct TestPattern: Sendable, Hashable, Codable {
    /// Frame width in pixels (even).
    public var width: Int
    /// Frame height in pixels (even).
    public var height: Int
    /// Exact frame rate.
    public var fps: Rational
    /// Number of video frames written.
    public var frameCount: Int
    /// Whether an AAC tone track is written alongside the video.
    public var audio: Bool

    /// Describes a test video.
    public init(width: Int, height: Int, fps: Rational, frameCount: Int, audio: Bool = true) {
        self.width = width
        self.height = height
        self.fps = fps
        self.frameCount = frameCount
        self.audio = audio
    }

    /// Frame count by the rule Lightricks' client uses: N = 8·⌊D·F/8⌋ + 1, at least 9.
    /// A duration or rate too large to count (or not a number) yields the largest count `TestPatternWriter`
    /// accepts, `maxFrameCount`.
    public static func lightricksFrameCount(duration: Double, fps: Rational) -> Int {
        let groups = (duration * fps.value / 8).rounded(.down)
        guard groups.isFinite, groups < Double(maxFrameCount / 8) else { return groups.isNaN ? 9 : maxFrameCount }
        return max(Int(groups) * 8 + 1, 9)
    }

    /// The most frames a test pattern may have (an hour at 120 fps, 8n+1).
    public static let maxFrameCount = 432_001
    /// The largest side of a test pattern in pixels.
    public static let maxSide = 8192
}

/// Writes MP4 files (H.264 test pattern + AAC 440 Hz tone) with an exact frame count and rate.
public enum TestPatternWriter {
    /// Writes `pattern` to `path` (via a temporary file renamed into place).
    public static func write(_ pattern: TestPattern, to path: String) throws(MediaError) {
        guard pattern.width > 0, pattern.height > 0, pattern.width % 2 == 0, pattern.height % 2 == 0 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "test pattern size must be even and positive, got \(pattern.width)x\(pattern.height)")
        }
        guard pattern.frameCount > 0, pattern.fps.numerator > 0 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "test pattern needs at least one frame and a positive fps")
        }
        guard pattern.width <= TestPattern.maxSide, pattern.height <= TestPattern.maxSide,
              pattern.frameCount <= TestPattern.maxFrameCount,
              Int32(exactly: pattern.fps.numerator) != nil, Int32(exactly: pattern.fps.denominator) != nil,
              pattern.fps.value <= 1000, Double(pattern.frameCount) / pattern.fps.value <= 24 * 3600 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "test pattern \(pattern.width)x\(pattern.height), \(pattern.frameCount) frames at \(pattern.fps) fps is outside what it can write (sides ≤ \(TestPattern.maxSide), ≤ \(TestPattern.maxFrameCount) frames, ≤ 1000 fps, ≤ 24 h)")
        }
        let temporary = AtomicFile.temporaryPath(for: path)
        do {
            try encode(pattern, to: temporary)
            try AtomicFile.rename(temporary, to: path)
        } catch let error as FFmpegError {
            unlink(temporary)
            if error.operation.contains("not available") {
                throw MediaError(.encoderMissing, path: path, reason: error.description)
            }
            throw MediaError(.writeFailed, path: path, reason: "cannot write test pattern (\(error.description))")
        } catch {
            unlink(temporary)
            throw MediaError(.writeFailed, path: path, reason: "cannot write test pattern (\(error))")
        }
    }

    private static func encode(_ pattern: TestPattern, to path: String) throws {
        let output = try OutputContext(path: path, formatName: "mp4")

        let video = try CodecContext.encoder(named: "libx264")
        video.configureVideo(width: pattern.width, height: pattern.height, pixelFormat: AV_PIX_FMT_YUV420P, frameRate: pattern.fps, globalHeader: output.needsGlobalHeader)
        video.configureGOP(size: max(1, Int(pattern.fps.value.rounded()) * 2), bFrames: 0)
        try video.open(options: ["preset": "ultrafast", "crf": "30"])
        let videoStream = try output.addStream(from: video, frameRate: pattern.fps)

        var audioStream: OutputContext.Stream? = nil
        if pattern.audio {
            let encoder = try CodecContext.encoder(named: "aac")
            encoder.configureStereoAudio(sampleRate: 48_000, bitRate: 96_000, globalHeader: output.needsGlobalHeader)
            try encoder.open()
            audioStream = try output.addStream(from: encoder)
        }

        try output.writeHeader(options: ["movflags": "+faststart"])

        let picture = try Frame(width: pattern.width, height: pattern.height, pixelFormat: AV_PIX_FMT_YUV420P)
        let painter = PatternPainter(width: pattern.width, height: pattern.height)
        let packet = try Packet()
        let totalSamples = Int((Double(pattern.frameCount) / pattern.fps.value * 48_000).rounded())
        let sampleBase = Rational(1, 48_000)
        var nextFrame = 0
        var nextSample = 0
        var toneFrame: Frame? = nil
        if let audio = audioStream?.encoder {
            toneFrame = try Frame(stereoSamples: max(audio.frameSize, 1024), sampleRate: 48_000)
        }

        var videoDone = false
        var audioDone = audioStream == nil
        while !videoDone || !audioDone {
            let videoFirst: Bool
            if videoDone { videoFirst = false } else if audioDone { videoFirst = true } else {
                videoFirst = Timestamps.compare(Int64(nextFrame), video.timeBase, Int64(nextSample), sampleBase) <= 0
            }
            if videoFirst {
                if nextFrame < pattern.frameCount {
                    try picture.makeWritable()
                    painter.paint(picture, index: nextFrame)
                    picture.pts = Int64(nextFrame)
                    try video.send(picture)
                    nextFrame += 1
                } else {
                    try video.send(nil as Frame?)
                    videoDone = true
                }
                try output.drain(videoStream, using: packet)
            } else if let audioStream, let toneFrame {
                let audio = audioStream.encoder
                if nextSample < totalSamples {
                    let count = min(toneFrame.sampleCount, totalSamples - nextSample)
                    try toneFrame.makeWritable()
                    ToneGenerator.fill(toneFrame, startSample: nextSample, count: count, sampleRate: 48_000)
                    toneFrame.sampleCount = count
                    toneFrame.pts = Int64(nextSample)
                    try audio.send(toneFrame)
                    toneFrame.sampleCount = max(audio.frameSize, 1024)
                    nextSample += count
                } else {
                    try audio.send(nil as Frame?)
                    audioDone = true
                }
                try output.drain(audioStream, using: packet)
            }
        }
        try output.writeTrailer()
    }
}

/// Paints moving luma ramps and colour bars row by row with memcpy, fast even in debug builds.
private struct PatternPainter {
    let width: Int, height: Int
    private let lumaRamp: [UInt8]
    private let chromaU: [UInt8]
    private let chromaV: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        lumaRamp = (0..<(width + 512)).map { UInt8(truncatingIfNeeded: 16 + ($0 % 220)) }
        let chromaWidth = (width + 1) / 2
        let bars: [(UInt8, UInt8)] = [(128, 128), (16, 146), (166, 16), (54, 34), (202, 222), (90, 240), (240, 110), (128, 128)]
        chromaU = (0..<(chromaWidth * 2)).map { bars[($0 * 8 / max(chromaWidth, 1)) % 8].0 }
        chromaV = (0..<(chromaWidth * 2)).map { bars[($0 * 8 / max(chromaWidth, 1)) % 8].1 }
    }

    func paint(_ frame: Frame, index: Int) {
        guard let (y, yStride) = frame.plane(0), let (u, uStride) = frame.plane(1), let (v, vStride) = frame.plane(2) else { return }
        let shift = (index * 4) % 220
        lumaRamp.withUnsafeBufferPointer { ramp in
            guard let base = ramp.baseAddress else { return }
            for row in 0..<height {
                memcpy(y + row * yStride, base + (shift + row) % 220, width)
            }
        }
        let chromaWidth = (width + 1) / 2
        let offset = (index * 2) % chromaWidth
        chromaU.withUnsafeBufferPointer { cu in
            chromaV.withUnsafeBufferPointer { cv in
                guard let ub = cu.baseAddress, let vb = cv.baseAddress else { return }
                for row in 0..<((height + 1) / 2) {
                    memcpy(u + row * uStride, ub + offset, chromaWidth)
                    memcpy(v + row * vStride, vb + offset, chromaWidth)
                }
            }
        }
    }
}

/// A 440 Hz sine tone in planar float stereo.
enum ToneGenerator {
    static func fill(_ frame: Frame, startSample: Int, count: Int, sampleRate: Int) {
        guard let (left, _) = frame.plane(0), let (right, _) = frame.plane(1) else { return }
        left.withMemoryRebound(to: Float.self, capacity: count) { l in
            right.withMemoryRebound(to: Float.self, capacity: count) { r in
                for i in 0..<count {
                    let sample = Float(0.2 * sin(2 * Double.pi * 440 * Double(startSample + i) / Double(sampleRate)))
                    l[i] = sample
                    r[i] = sample
                }
            }
        }
    }
}
