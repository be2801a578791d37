import CFFmpeg
import Foundation

/// Checks a soundtrack against the API's rules and, when it does not pass, writes a conforming MP3.
public enum AudioPreflight {
    /// Output sample rate of transcoded audio.
    static let outputRate = 48_000
    /// MP3 bit rates tried in turn until the file fits the size limit.
    static let bitRates = [192_000, 128_000, 96_000, 64_000]
    /// MP3 frame length in samples.
    static let mp3FrameSamples = 1152
    /// LAME's encoder delay plus decoder delay, in samples.
    static let mp3Delay = 1105

    /// Preflights `path` for `target`; a needed fix is written to `outputDirectory` as `STEM.mp3`.
    public static func run(_ path: String, target: AudioTarget, outputDirectory: String?) throws(MediaError) -> PreflightReport {
        let size = try InputFile.check(path)
        let source = try AudioSource(path: path)
        if let stated = source.input.durationSeconds, stated > target.maxInputDuration {
            throw MediaError(.tooLarge, path: path, reason: "audio is \(VideoVerifier.format(stated.rounded())) s long, over the \(VideoVerifier.format(target.maxInputDuration)) s this tool will decode")
        }
        let rate = source.decoder.sampleRate
        let maxSamples = CheckedArithmetic.integer(target.maxInputDuration * Double(max(rate, 1))) ?? .max
        var samples = 0
        try source.decode { (frame: Frame) throws(MediaError) -> Bool in
            samples += frame.sampleCount
            if samples > maxSamples {
                throw MediaError(.tooLarge, path: path, reason: "audio is longer than the \(VideoVerifier.format(target.maxInputDuration)) s this tool will decode")
            }
            return true
        }
        guard rate > 0, samples > 0 else { throw MediaError(.damaged, path: path, reason: "damaged audio: no samples decode") }
        let facts = Facts(
            container: source.input.formatName, codec: source.codecName, hasVideo: source.hasVideo, sampleRate: rate,
            channels: source.decoder.channelCount, layout: source.decoder.channelLayoutName, samples: samples, size: size
        )
        let plan = Plan(facts: facts, target: target).decide()
        if let (kind, reason) = plan.refusal { throw MediaError(kind, path: path, reason: reason) }

        var report = PreflightReport(
            kind: "audio", input: path, detectedFormat: plan.detectedFormat, inputSize: size,
            inputDescription: plan.inputDescription, passedThrough: plan.passThrough, actions: plan.actions,
            output: nil, outputSize: nil, outputDescription: nil, outputContentType: nil
        )
        if plan.passThrough {
            report.output = path
            report.outputSize = size
            report.outputDescription = plan.inputDescription
            report.outputContentType = plan.format.map(contentType)
            report.outputDuration = facts.duration
            return report
        }
        let keepSamples = plan.keepSamples
        guard let outputDirectory else { return report }

        let outputPath = try OutputNaming.path(for: path, directory: outputDirectory, extension: "mp3")
        var written: Int64 = 0
        for (step, bitRate) in bitRates.enumerated() {
            let temporary = AtomicFile.temporaryPath(for: outputPath)
            do {
                try MP3Transcoder.transcode(path, to: temporary, samples: keepSamples, bitRate: bitRate)
            } catch {
                unlink(temporary)
                throw error
            }
            written = (try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int64) ?? 0
            if written <= target.maxBytes {
                try AtomicFile.rename(temporary, to: outputPath)
                if step > 0 { report.actions.append(PreflightAction(.recompressed, "MP3 bit rate lowered to \(bitRate / 1000) kb/s to stay within \(ByteCount.text(target.maxBytes))")) }
                report.output = outputPath
                report.outputSize = written
                report.outputDescription = "MP3 48000 Hz stereo, \(String(format: "%.2f", Double(keepSamples) / Double(outputRate))) s, \(bitRate / 1000) kb/s, \(ByteCount.text(written))"
                report.outputContentType = "audio/mpeg"
                report.outputDuration = Double(keepSamples) / Double(outputRate)
                return report
            }
            unlink(temporary)
        }
        throw MediaError(.tooLarge, path: path, reason: "even at \(bitRates.last.map { $0 / 1000 } ?? 0) kb/s the MP3 is \(ByteCount.text(written)), over \(ByteCount.text(target.maxBytes))")
    }

    /// What probing and decoding an audio file showed: everything `Plan` decides from.
    struct Facts: Equatable {
        /// Demuxer name (`mp3`, `wav`, `mov,mp4,m4a,3gp,3g2,mj2`).
        var container: String
        /// Codec name of the audio stream.
        var codec: String
        /// True when the file also holds a video stream (a cover picture included).
        var hasVideo: Bool
        /// Sample rate in Hz (positive).
        var sampleRate: Int
        /// Channel count and layout name.
        var channels: Int
        var layout: String?
        /// Samples per channel that decoded (positive).
        var samples: Int
        /// File size in bytes.
        var size: Int64

        /// Decoded length in seconds.
        var duration: Double { Double(samples) / Double(sampleRate) }
    }

    /// The decisions for one soundtrack: refuse, pass through, or convert (and trim) to MP3. Pure.
    struct Plan {
        let facts: Facts
        let target: AudioTarget

        struct Decision: Equatable {
            /// Why the file cannot be used at all, when it cannot.
            var refusal: (MediaError.Kind, String)?
            /// True when the original goes to the API as it is.
            var passThrough: Bool
            /// The API's name for the original's format, when it accepts it.
            var format: String?
            var detectedFormat: String
            var inputDescription: String
            var actions: [PreflightAction]
            /// Samples at 48 kHz the converted MP3 keeps (0 when passed through).
            var keepSamples: Int

            static func == (a: Decision, b: Decision) -> Bool {
                a.refusal?.0 == b.refusal?.0 && a.refusal?.1 == b.refusal?.1 && a.passThrough == b.passThrough && a.format == b.format
                    && a.detectedFormat == b.detectedFormat && a.inputDescription == b.inputDescription
                    && a.actions == b.actions && a.keepSamples == b.keepSamples
            }
        }

        func decide() -> Decision {
            let duration = facts.duration
            let rate = facts.sampleRate
            let layout = facts.layout ?? "\(facts.channels) channels"
            let format = acceptedFormat(container: facts.container, codec: facts.codec, hasVideo: facts.hasVideo)
                .flatMap { target.acceptedFormats.contains($0) ? $0 : nil }
            let inputDescription = "\((format ?? facts.codec).uppercased()) \(rate) Hz \(layout), \(String(format: "%.2f", duration)) s, \(ByteCount.text(facts.size))"
            var decision = Decision(
                refusal: nil, passThrough: false, format: format, detectedFormat: format ?? "\(facts.container)/\(facts.codec)",
                inputDescription: inputDescription, actions: [], keepSamples: 0
            )
            if duration + 0.001 < target.minDuration {
                decision.refusal = (.tooShort, "audio is \(String(format: "%.2f", duration)) s, shorter than the \(VideoVerifier.format(target.minDuration)) s the request needs")
                return decision
            }

            var reasons: [String] = []
            if format == nil { reasons.append("\(facts.codec) in \(facts.container) is not accepted by the API (\(target.acceptedFormats.sorted().joined(separator: ", ")) only)") }
            if facts.size > target.maxBytes { reasons.append("file is \(ByteCount.text(facts.size)), over the \(ByteCount.text(target.maxBytes)) limit") }
            let tooLong = duration > target.maxDuration + 0.001
            if tooLong { reasons.append("audio is \(String(format: "%.2f", duration)) s, longer than the \(VideoVerifier.format(target.maxDuration)) s the request allows") }
            if target.forceTranscode && reasons.isEmpty { reasons.append("the API refused the original once, so it is re-encoded") }

            if reasons.isEmpty {
                decision.passThrough = true
                decision.actions = [PreflightAction(.passedThrough, "\(inputDescription): accepted by the API as it is")]
                return decision
            }
            let keepSamples = tooLong ? safeSampleCount(maxDuration: target.maxDuration) : CheckedArithmetic.integer((duration * Double(outputRate)).rounded()) ?? 0
            decision.keepSamples = keepSamples
            decision.actions.append(PreflightAction(.transcoded, "re-encoded as MP3 48 kHz stereo: " + reasons.joined(separator: "; ")))
            if facts.channels != 2 { decision.actions.append(PreflightAction(.downmixed, "\(layout) mixed to stereo")) }
            if rate != outputRate { decision.actions.append(PreflightAction(.resampled, "\(rate) Hz resampled to \(outputRate) Hz")) }
            if tooLong {
                let kept = Double(keepSamples) / Double(outputRate)
                decision.actions.append(PreflightAction(.trimmed, "cut from \(String(format: "%.2f", duration)) s to \(String(format: "%.3f", kept)) s: the first \(VideoVerifier.format(target.maxDuration)) s less MP3 frame padding, so every way of measuring an MP3's length stays within the limit", secondsBefore: duration, secondsAfter: kept))
            }
            return decision
        }
    }

    /// The most samples at 48 kHz whose MP3 (with its header frame and codec delay) lasts ≤ `maxDuration`.
    static func safeSampleCount(maxDuration: Double) -> Int {
        let frames = min(CheckedArithmetic.integer((maxDuration * Double(outputRate)) / Double(mp3FrameSamples)) ?? 0, Int(Int32.max)) - 1
        return max(mp3FrameSamples, frames * mp3FrameSamples - mp3Delay)
    }

    /// The API's name for an accepted (container, codec) pair, or nil.
    static func acceptedFormat(container: String, codec: String, hasVideo: Bool) -> String? {
        switch (container, codec) {
        case ("mp3", "mp3"): return "mp3"
        case ("wav", let c) where c.hasPrefix("pcm_"): return "wav"
        case ("ogg", "vorbis"): return "ogg"
        case ("aac", "aac"): return "aac"
        case (let c, "aac") where c.hasPrefix("mov,mp4,m4a") && !hasVideo: return "m4a"
        default: return nil
        }
    }

    static func contentType(_ format: String) -> String {
        switch format {
        case "mp3": return "audio/mpeg"
        case "wav": return "audio/wav"
        case "ogg": return "audio/ogg"
        case "aac": return "audio/aac"
        default: return "audio/mp4"
        }
    }
}

/// Decodes any audio FFmpeg reads and writes stereo 48 kHz MP3 through an audio FIFO (transcode_aac.c's shape).
enum MP3Transcoder {
    static func transcode(_ path: String, to output: String, samples keep: Int, bitRate: Int) throws(MediaError) {
        do {
            try encode(path, to: output, samples: keep, bitRate: bitRate)
        } catch let error as MediaError {
            throw error
        } catch let error as FFmpegError {
            if error.operation.contains("not available") {
                throw MediaError(.encoderMissing, path: path, reason: error.description)
            }
            throw MediaError(.writeFailed, path: path, reason: "MP3 encoding failed (\(error.description))")
        } catch {
            throw MediaError(.writeFailed, path: path, reason: "MP3 encoding failed (\(error))")
        }
    }

    private static func encode(_ path: String, to output: String, samples keep: Int, bitRate: Int) throws {
        let source = try AudioSource(path: path)
        do {
            let muxer = try OutputContext(path: output, formatName: "mp3")
            let encoder = try CodecContext.encoder(named: "libmp3lame")
            encoder.configureStereoAudio(sampleRate: AudioPreflight.outputRate, bitRate: bitRate, globalHeader: false)
            try encoder.open()
            let stream = try muxer.addStream(from: encoder)
            try muxer.writeHeader()

            let resampler = try Resampler(stereoFrom: source.decoder, rate: AudioPreflight.outputRate)
            let frameSize = max(encoder.frameSize, AudioPreflight.mp3FrameSamples)
            let fifo = try AudioFIFO(format: AV_SAMPLE_FMT_FLTP, channels: 2, capacity: frameSize * 4)
            var converted = try Frame(stereoSamples: frameSize * 4, sampleRate: AudioPreflight.outputRate)
            let encoderFrame = try Frame(stereoSamples: frameSize, sampleRate: AudioPreflight.outputRate)
            let packet = try Packet()
            var queued = 0
            var pts: Int64 = 0

            func writePackets() throws(FFmpegError) {
                try muxer.drain(stream, using: packet)
            }
            func encodeFromFIFO(flushAll: Bool) throws(FFmpegError) {
                while fifo.count >= frameSize || (flushAll && fifo.count > 0) {
                    try encoderFrame.makeWritable()
                    let n = try fifo.read(into: encoderFrame, samples: min(frameSize, fifo.count))
                    encoderFrame.sampleCount = n
                    encoderFrame.pts = pts
                    pts += Int64(n)
                    try encoder.send(encoderFrame)
                    encoderFrame.sampleCount = frameSize
                    try writePackets()
                }
            }
            func push(_ input: Frame?) throws(FFmpegError) -> Bool {
                let capacity = resampler.outputCapacity(forInput: input?.sampleCount ?? 0)
                if capacity > converted.sampleCount {
                    converted = try Frame(stereoSamples: capacity, sampleRate: AudioPreflight.outputRate)
                }
                try converted.makeWritable()
                let n = try resampler.convert(input, into: converted, capacity: max(capacity, 1))
                let take = min(n, keep - queued)
                if take > 0 { try fifo.write(converted, samples: take) }
                queued += max(take, 0)
                try encodeFromFIFO(flushAll: false)
                return queued < keep
            }

            try source.decode { (frame: Frame) throws(MediaError) -> Bool in
                do { return try push(frame) } catch {
                    throw MediaError(.writeFailed, path: path, reason: "MP3 encoding failed (\(error))")
                }
            }
            if queued < keep { _ = try push(nil) }
            try encodeFromFIFO(flushAll: true)
            try encoder.send(nil as Frame?)
            try writePackets()
            try muxer.writeTrailer()
        }
    }
}
