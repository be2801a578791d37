import CFFmpeg

/// Proves a delivered video is what was requested: exact fps, 8n+1 frames, duration, size, audio, integrity.
public enum VideoVerifier {
    /// Verifies `path` against `request`.
    ///
    /// Throws `MediaError` only when the file cannot be read as a video at all; a readable file that
    /// misses an expectation yields a report with failed checks.
    public static func verify(_ path: String, against request: VerificationRequest) throws(MediaError) -> VerificationReport {
        let size = try InputFile.check(path)
        let input = try MediaProbe.openVideo(path)
        var videoIndex = firstVideoStream(input)
        if videoIndex == nil || needsStreamInfo(input, videoIndex) {
            do { try input.findStreamInfo() } catch {
                throw MediaError(.damaged, path: path, reason: "cannot read stream information (\(error.message))")
            }
            videoIndex = firstVideoStream(input)
        }
        guard let videoIndex else {
            throw MediaError(.noVideo, path: path, reason: "has no video stream (container \(input.formatName))")
        }
        let stream = input.stream(videoIndex)
        let parameters = stream.pointee.codecpar.pointee
        guard parameters.width > 0, parameters.height > 0 else {
            throw MediaError(.notMedia, path: path, reason: "not a video FFmpeg can read (no picture size; container \(input.formatName))")
        }
        let codecName = avcodec_descriptor_get(parameters.codec_id).map { String(cString: $0.pointee.name) } ?? "unknown"
        let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO)
        let audioCodec = audioIndex.flatMap { i in
            avcodec_descriptor_get(input.stream(i).pointee.codecpar.pointee.codec_id).map { String(cString: $0.pointee.name) }
        }

        var checks: [VerificationCheck] = []
        checks.append(VerificationCheck(name: "container", expected: "readable", actual: input.formatName, passed: true))
        let decodable = avcodec_find_decoder(parameters.codec_id) != nil
        checks.append(VerificationCheck(name: "video_codec", expected: "decodable", actual: codecName, passed: decodable))

        let frames: Int
        if stream.pointee.nb_frames > 0 {
            frames = Int(stream.pointee.nb_frames)
            checks.append(indexCheck(input, size: size))
        } else {
            let counted = try countVideoPackets(input, videoIndex: videoIndex, path: path)
            frames = counted.frames
            checks.append(VerificationCheck(
                name: "packets_readable", expected: "every packet readable to the end",
                actual: counted.error.map { "read stopped after \(counted.frames) frames: \($0)" } ?? "read to the end",
                passed: counted.error == nil
            ))
        }

        let fps = Rational(stream.pointee.avg_frame_rate) ?? Rational(stream.pointee.r_frame_rate)
        if let expected = request.fps {
            checks.append(VerificationCheck(
                name: "fps", expected: expected.description, actual: fps?.description ?? "unknown", passed: fps == expected
            ))
        }
        checks.append(VerificationCheck(
            name: "frame_count_8n+1", expected: "N mod 8 = 1", actual: "\(frames) (mod 8 = \(frames % 8))", passed: frames % 8 == 1
        ))
        let rate = fps ?? request.fps
        let duration = rate.map { Double(frames) / $0.value }
        if let expected = request.duration {
            let passed = duration.map { abs($0 - expected) <= request.durationTolerance } ?? false
            checks.append(VerificationCheck(
                name: "duration",
                expected: "\(format(expected)) s ± \(format(request.durationTolerance))",
                actual: duration.map { "\(format($0)) s (\(frames) frames at \(rate?.description ?? "?"))" } ?? "unknown (no frame rate)",
                passed: passed
            ))
        }
        if request.width != nil || request.height != nil {
            let expected = "\(request.width.map(String.init) ?? "*")x\(request.height.map(String.init) ?? "*")"
            let passed = (request.width ?? Int(parameters.width)) == Int(parameters.width)
                && (request.height ?? Int(parameters.height)) == Int(parameters.height)
            checks.append(VerificationCheck(name: "resolution", expected: expected, actual: "\(parameters.width)x\(parameters.height)", passed: passed))
        }
        if request.audioExpected {
            checks.append(VerificationCheck(
                name: "audio", expected: "audio stream present", actual: audioCodec.map { "\($0) stream" } ?? "no audio stream",
                passed: audioCodec != nil
            ))
        }

        var firstBadFrame: Int? = nil
        if request.deep {
            var outcome = DeepDecoder.decodeAll(path: path, videoIndex: videoIndex, audioIndex: audioIndex)
            if outcome.error != nil {
                // Frame-threaded decoding reports an error a few packets late: decode again on one thread to name the exact frame.
                let exact = DeepDecoder.decodeAll(path: path, videoIndex: videoIndex, audioIndex: audioIndex, threads: 1)
                if exact.error != nil { outcome = exact }
            }
            firstBadFrame = outcome.firstBadFrame
            checks.append(VerificationCheck(
                name: "decode",
                expected: "\(frames) frames decode",
                actual: outcome.error.map { "frame \(outcome.firstBadFrame ?? outcome.decodedFrames) failed: \($0)" }
                    ?? "\(outcome.decodedFrames) frames decoded",
                passed: outcome.error == nil && outcome.decodedFrames == frames
            ))
            if audioIndex != nil {
                checks.append(VerificationCheck(
                    name: "audio_decode", expected: "every audio frame decodes",
                    actual: outcome.audioError.map { "failed: \($0)" } ?? "\(outcome.decodedAudioFrames) audio frames decoded",
                    passed: outcome.audioError == nil
                ))
            }
        }

        let measured = VerificationReport.Measured(
            container: input.formatName, videoCodec: codecName,
            width: Int(parameters.width), height: Int(parameters.height),
            fps: fps, frames: frames, duration: duration, audioCodec: audioCodec, size: size
        )
        return VerificationReport(path: path, mode: request.deep ? "deep" : "quick", checks: checks, measured: measured, firstBadFrame: firstBadFrame)
    }

    static func firstVideoStream(_ input: InputContext) -> Int? {
        (0..<input.streamCount).first { i in
            let s = input.stream(i).pointee
            return s.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO && (s.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0
        }
    }

    /// True when the container header left out what verification needs, so packets must be probed.
    static func needsStreamInfo(_ input: InputContext, _ videoIndex: Int?) -> Bool {
        guard let videoIndex else { return true }
        let s = input.stream(videoIndex).pointee
        let p = s.codecpar.pointee
        let hasRate = Rational(s.avg_frame_rate) != nil || Rational(s.r_frame_rate) != nil
        return p.codec_id == AV_CODEC_ID_NONE || p.width <= 0 || p.height <= 0 || !hasRate
    }

    /// Checks that every packet the index lists lies inside the file: a truncated file fails here.
    static func indexCheck(_ input: InputContext, size: Int64) -> VerificationCheck {
        var end: Int64 = 0
        var entries = 0
        for i in 0..<input.streamCount {
            let stream = input.stream(i)
            let count = avformat_index_get_entries_count(stream)
            entries += Int(count)
            for e in 0..<count {
                guard let entry = avformat_index_get_entry(stream, e) else { continue }
                end = max(end, CheckedArithmetic.sum(entry.pointee.pos, Int64(entry.pointee.size)) ?? .max)
            }
        }
        if entries == 0 {
            return VerificationCheck(name: "index_within_file", expected: "index present", actual: "no index entries", passed: false)
        }
        return VerificationCheck(
            name: "index_within_file", expected: "packets end by byte \(size)", actual: "last packet ends at byte \(end)", passed: end <= size
        )
    }

    static func countVideoPackets(_ input: InputContext, videoIndex: Int, path: String) throws(MediaError) -> (frames: Int, error: String?) {
        input.discardAll(except: [videoIndex])
        let packet: Packet
        do { packet = try Packet() } catch { throw MediaError(.unreadable, path: path, reason: error.description) }
        var frames = 0
        while true {
            do {
                guard try input.read(into: packet) else { return (frames, nil) }
            } catch {
                return (frames, error.message)
            }
            if packet.streamIndex == videoIndex { frames += 1 }
            packet.unref()
        }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        guard rounded.isFinite, abs(rounded) < 1e15 else { return String(value) }
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Decodes every video (and audio) frame of an opened file with threaded decoding.
enum DeepDecoder {
    struct Outcome {
        var decodedFrames = 0
        var decodedAudioFrames = 0
        var firstBadFrame: Int?
        var error: String?
        var audioError: String?
    }

    /// Opens `path` afresh and decodes it from the start.
    static func decodeAll(path: String, videoIndex: Int, audioIndex: Int?, threads: Int = 0) -> Outcome {
        var outcome = Outcome()
        let input: InputContext
        let video: CodecContext
        let packet: Packet, frame: Frame
        do {
            input = try InputContext(path: path)
            guard videoIndex < input.streamCount else {
                throw FFmpegError(code: ltx_averror_invaliddata(), operation: "reopen")
            }
            video = try CodecContext.decoder(for: input.stream(videoIndex).pointee.codecpar, threads: threads, strict: true)
            packet = try Packet()
            frame = try Frame()
        } catch {
            outcome.error = "\(error)"
            outcome.firstBadFrame = 0
            return outcome
        }
        var audio: CodecContext? = nil
        if let audioIndex {
            do { audio = try CodecContext.decoder(for: input.stream(audioIndex).pointee.codecpar, strict: true) } catch {
                outcome.audioError = error.description
            }
        }
        var keep: Set<Int> = [videoIndex]
        if let audioIndex, audio != nil { keep.insert(audioIndex) }
        for i in 0..<input.streamCount { input.stream(i).pointee.discard = keep.contains(i) ? AVDISCARD_DEFAULT : AVDISCARD_ALL }

        var videoPackets = 0
        func drainVideo() -> Bool {
            do {
                while try video.receive(into: frame) {
                    outcome.decodedFrames += 1
                    frame.unref()
                }
                return true
            } catch {
                outcome.error = error.message
                outcome.firstBadFrame = outcome.decodedFrames
                return false
            }
        }
        func drainAudio(_ decoder: CodecContext) {
            do {
                while try decoder.receive(into: frame) {
                    outcome.decodedAudioFrames += 1
                    frame.unref()
                }
            } catch {
                if outcome.audioError == nil { outcome.audioError = error.message }
            }
        }

        reading: while true {
            do {
                guard try input.read(into: packet) else { break reading }
            } catch {
                outcome.error = "read failed after \(videoPackets) video packets: \(error.message)"
                outcome.firstBadFrame = outcome.decodedFrames
                return outcome
            }
            defer { packet.unref() }
            if packet.streamIndex == videoIndex {
                videoPackets += 1
                do {
                    while try !video.send(packet) {
                        if !drainVideo() { return outcome }
                    }
                } catch {
                    outcome.error = error.message
                    outcome.firstBadFrame = videoPackets - 1
                    return outcome
                }
                if !drainVideo() { return outcome }
            } else if let audio, packet.streamIndex == audioIndex, outcome.audioError == nil {
                do {
                    while try !audio.send(packet) { drainAudio(audio) }
                } catch {
                    outcome.audioError = error.message
                }
                drainAudio(audio)
            }
        }
        do { _ = try video.send(nil as Packet?) } catch { outcome.error = error.message; return outcome }
        _ = drainVideo()
        if let audio, outcome.audioError == nil {
            _ = try? audio.send(nil as Packet?)
            drainAudio(audio)
        }
        return outcome
    }
}
