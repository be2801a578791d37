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
    /// Whether an AAC track is written alongside the video.
    public var audio: Bool
    /// What the frames show.
    public var picture: Picture
    /// What the audio track carries.
    public var sound: Sound

    /// What a test video's frames show.
    public enum Picture: String, Sendable, Hashable, Codable {
        /// Luma ramps and colour bars sliding every frame.
        case moving
        /// A static camera: frame 0's ramps and bars held still, with one small square drifting a pixel per frame.
        case still
        /// Frame 0 repeated: every later frame is an exact copy.
        case frozen
        /// Video black (luma 16, no colour).
        case black
        /// The moving picture fading in from black over its first 16 frames.
        case fadeIn
    }

    /// What a test video's audio track carries.
    public enum Sound: Sendable, Hashable, Codable {
        /// A steady 440 Hz tone.
        case tone
        /// Digital silence.
        case silent
        /// 440 Hz at a loudness that jumps between four levels at times drawn from `seed`, so each seed has its
        /// own loudness envelope.
        case bursts(seed: Int)
    }

    /// Describes a test video.
    public init(width: Int, height: Int, fps: Rational, frameCount: Int, audio: Bool = true,
                picture: Picture = .moving, sound: Sound = .tone) {
        self.width = width
        self.height = height
        self.fps = fps
        self.frameCount = frameCount
        self.audio = audio
        self.picture = picture
        self.sound = sound
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
                    painter.paint(picture, index: nextFrame, kind: pattern.picture)
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
                    ToneGenerator.fill(toneFrame, startSample: nextSample, count: count, sampleRate: 48_000, sound: pattern.sound)
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

    func paint(_ frame: Frame, index: Int, kind: TestPattern.Picture = .moving) {
        guard let (y, yStride) = frame.plane(0), let (u, uStride) = frame.plane(1), let (v, vStride) = frame.plane(2) else { return }
        switch kind {
        case .moving: break
        case .fadeIn:
            paint(frame, index: index)
            let gain = min(1, Double(index) / 16)
            guard gain < 1 else { return }
            let table = (0..<256).map { UInt8(clamping: 16 + Int((Double($0 - 16) * gain).rounded())) }
            let chroma = (0..<256).map { UInt8(clamping: 128 + Int((Double($0 - 128) * gain).rounded())) }
            for row in 0..<height { for x in 0..<width { y[row * yStride + x] = table[Int(y[row * yStride + x])] } }
            for row in 0..<((height + 1) / 2) {
                for x in 0..<((width + 1) / 2) {
                    u[row * uStride + x] = chroma[Int(u[row * uStride + x])]
                    v[row * vStride + x] = chroma[Int(v[row * vStride + x])]
                }
            }
            return
        case .frozen: return paint(frame, index: 0)
        case .black:
            for row in 0..<height { memset(y + row * yStride, 16, width) }
            for row in 0..<((height + 1) / 2) {
                memset(u + row * uStride, 128, (width + 1) / 2)
                memset(v + row * vStride, 128, (width + 1) / 2)
            }
            return
        case .still:
            paint(frame, index: 0)
            let side = min(16, width / 4, height / 4)
            guard side > 0 else { return }
            let span = max(1, width - side)
            let x = index % span, top = (height - side) / 2
            for row in top..<(top + side) { memset(y + row * yStride + x, 235, side) }
            return
        }
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

/// The test sound (a 440 Hz sine, steady, silent or in bursts) in planar float stereo.
enum ToneGenerator {
    static func fill(_ frame: Frame, startSample: Int, count: Int, sampleRate: Int, sound: TestPattern.Sound = .tone) {
        guard let (left, _) = frame.plane(0), let (right, _) = frame.plane(1) else { return }
        left.withMemoryRebound(to: Float.self, capacity: count) { l in
            right.withMemoryRebound(to: Float.self, capacity: count) { r in
                for i in 0..<count {
                    let value = Float(sample(startSample + i, sampleRate: sampleRate, sound: sound))
                    l[i] = value
                    r[i] = value
                }
            }
        }
    }

    /// Sample number `n` of `sound`, full scale ±1.
    static func sample(_ n: Int, sampleRate: Int, sound: TestPattern.Sound) -> Double {
        let tone = 0.2 * sin(2 * Double.pi * 440 * Double(n) / Double(sampleRate))
        switch sound {
        case .tone: return tone
        case .silent: return 0
        case .bursts(let seed): return tone / 0.2 * BurstSchedule.amplitude(seconds: Double(n) / Double(sampleRate), seed: seed)
        }
    }
}

/// The loudness of `TestPattern.Sound.bursts` over time: segments of 0.1–0.4 s, each at one of four
/// amplitudes (never the same twice in a row), drawn from a linear congruential sequence of the seed.
enum BurstSchedule {
    static let amplitudes = [0.01, 0.05, 0.15, 0.35]

    static func amplitude(seconds: Double, seed: Int) -> Double {
        var state = UInt64(truncatingIfNeeded: seed) &* 6364136223846793005 &+ 1442695040888963407
        var at = 0.0, last = -1
        while true {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = 0.1 + Double((state >> 33) % 300) / 1000
            var level = Int((state >> 20) % 4)
            if level == last { level = (level + 1) % 4 }
            last = level
            if seconds < at + length { return amplitudes[level] }
            at += length
        }
    }
}

extension TestPatternWriter {
    /// Writes frame `index` of `pattern`'s picture as a JPEG (what an image-to-video start image or
    /// `last_frame` of such a video would be).
    public static func writeStill(_ pattern: TestPattern, frame index: Int, to path: String) throws(MediaError) {
        do {
            let picture = try Frame(width: pattern.width, height: pattern.height, pixelFormat: AV_PIX_FMT_YUV420P)
            PatternPainter(width: pattern.width, height: pattern.height).paint(picture, index: index, kind: pattern.picture)
            let bytes = try ImageCodec.encodeJPEG(picture, width: pattern.width, height: pattern.height, quality: 2)
            try AtomicFile.write(bytes, to: path)
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError(.writeFailed, path: path, reason: "cannot write the still (\(error))")
        }
    }

    /// Writes `seconds` of `sound` as a 16-bit 48 kHz stereo WAV (an audio-to-video soundtrack).
    public static func writeSoundtrack(_ sound: TestPattern.Sound, seconds: Double, to path: String) throws(MediaError) {
        guard seconds > 0, seconds <= 600 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "soundtrack length \(seconds) s is outside 0–600 s")
        }
        let rate = 48_000, frames = Int(seconds * Double(rate))
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var data = [UInt8]()
        data.reserveCapacity(frames * 4)
        for n in 0..<frames {
            let value = Int((ToneGenerator.sample(n, sampleRate: rate, sound: sound) * 32_767).rounded())
            let clamped = le(max(-32_768, min(32_767, value)), 2)
            data += clamped + clamped
        }
        var file: [UInt8] = Array("RIFF".utf8) + le(36 + data.count, 4) + Array("WAVE".utf8)
        file += Array("fmt ".utf8) + le(16, 4) + le(1, 2) + le(2, 2) + le(rate, 4) + le(rate * 4, 4) + le(4, 2) + le(16, 2)
        file += Array("data".utf8) + le(data.count, 4) + data
        do { try AtomicFile.write(file, to: path) } catch {
            throw MediaError(.writeFailed, path: path, reason: "cannot write the soundtrack (\(error))")
        }
    }
}
