/// Proves a delivered video is what was requested: exact fps, 8n+1 frames, duration, size, audio, integrity.
public enum VideoVerifier {
    /// Verifies `path` against `request`: `measure`, then `judge`.
    ///
    /// Throws `MediaError` only when the file cannot be read as a video at all; a readable file that
    /// misses an expectation yields a report with failed checks.
    public static func verify(_ path: String, against request: VerificationRequest) throws(MediaError) -> VerificationReport {
        judge(try measure(path, deep: request.deep, content: request.content, audioExpected: request.audioExpected), against: request)
    }

    /// Verifies `path` against `request` as `verify` does and, when the request is deep and every frame decoded,
    /// makes the file's default contact sheet (`ContactSheet.make(fromVideo:)`, the same bytes) from frames taken
    /// on that same pass instead of decoding the video again. Otherwise, or when the sheet cannot be made on the
    /// pass, `contactSheet` is nil and the caller makes it with `ContactSheet.make`.
    public static func verifyMakingContactSheet(_ path: String, against request: VerificationRequest) throws(MediaError) -> VerifiedVideo {
        let (measurement, sheet) = try measure(path, deep: request.deep, content: request.content, audioExpected: request.audioExpected, contactSheet: true)
        return VerifiedVideo(report: judge(measurement, against: request), contactSheet: sheet)
    }

    /// Measures what `path` is: from the container's index (or its packets when there is no index), and
    /// with `deep` by decoding every frame. With `content`, also the picture and the sound: on the same
    /// decode when `deep`, else on frames sampled from keyframes and as much of the audio track as a check
    /// needs (none; a few windows for the sound check when `audioExpected`; all of it to compare a soundtrack).
    /// A reference file `content` names that cannot be read throws an error naming it.
    public static func measure(_ path: String, deep: Bool = false, content: ContentExpectation? = nil, audioExpected: Bool = true) throws(MediaError) -> VideoMeasurement {
        try measure(path, deep: deep, content: content, audioExpected: audioExpected, contactSheet: false).measurement
    }

    /// `measure`, and with `contactSheet` and `deep` the default contact sheet made on the decode of every frame
    /// (nil when a frame failed to decode, fewer frames decoded than the file states, or the sheet could not be made).
    static func measure(
        _ path: String, deep: Bool, content: ContentExpectation?, audioExpected: Bool, contactSheet: Bool
    ) throws(MediaError) -> (measurement: VideoMeasurement, contactSheet: ContactSheet?) {
        let size = try InputFile.check(path)
        let input = try MediaProbe.openVideo(path)
        let videoIndex = try videoStream(of: input, path: path)
        let video = input.describe(videoIndex)
        guard video.width > 0, video.height > 0 else {
            throw MediaError(.notMedia, path: path, reason: "not a video FFmpeg can read (no picture size; container \(input.formatName))")
        }
        let audioIndex = input.bestAudioStream
        let frames: Int
        let integrity: VideoMeasurement.Integrity
        if let stated = video.statedFrameCount {
            frames = stated
            let extent = input.indexExtent
            integrity = .index(entries: extent.entries, lastByte: extent.end)
        } else {
            let counted = try countVideoPackets(input, videoIndex: videoIndex, path: path)
            frames = counted.frames
            integrity = .packets(readError: counted.error)
        }
        let thumbnail = LumaThumbnail.size(forPicture: video.width, video.height)
        let references = try content.map { expectation throws(MediaError) in try ContentReferences.load(expectation, thumbnail: thumbnail) }
        func makeAnalyzer() throws(MediaError) -> ContentAnalyzer? {
            guard content != nil else { return nil }
            do { return try ContentAnalyzer(thumbnail: thumbnail) } catch {
                throw MediaError(.unreadable, path: path, reason: "cannot prepare the content checks (\(error.message))")
            }
        }
        var decoding: VideoMeasurement.Decoding? = nil
        var contentMeasurement: ContentMeasurement? = nil
        var sheet: ContactSheet? = nil
        if deep {
            var analyzer = try makeAnalyzer()
            let builder = contactSheet ? ContactSheetBuilder(frameCount: frames) : nil
            var outcome = DeepDecoder.decodeAll(path: path, videoIndex: videoIndex, audioIndex: audioIndex, analyzer: analyzer, sheet: builder)
            // Only a whole video gives its sheet here; a short or broken one gets it from `ContactSheet.make`, which handles both.
            if outcome.error == nil, outcome.decodedFrames == frames, let builder = outcome.sheet { sheet = try? builder.finish() }
            if outcome.error != nil {
                // Frame-threaded decoding reports an error a few packets late: decode again on one thread to name the exact frame.
                let exactAnalyzer = try makeAnalyzer()
                let exact = DeepDecoder.decodeAll(path: path, videoIndex: videoIndex, audioIndex: audioIndex, threads: 1, analyzer: exactAnalyzer)
                if exact.error != nil { outcome = exact; analyzer = exactAnalyzer }
            }
            if let analyzer, let references { contentMeasurement = analyzer.measurement(sampled: false, references: references) }
            decoding = VideoMeasurement.Decoding(
                decodedFrames: outcome.decodedFrames, firstBadFrame: outcome.firstBadFrame, error: outcome.error,
                decodedAudioFrames: outcome.decodedAudioFrames, audioError: outcome.audioError
            )
        }
        if !deep, let content, let references, let analyzer = try makeAnalyzer() {
            let audioNeed: ContentSampler.AudioNeed = content.soundtrack != nil ? .envelope
                : audioExpected ? .level(floor: content.thresholds.sound.minLevel) : .none
            // An input read only to its header is sampled as it is; one whose packets were counted is opened afresh.
            let unread: InputContext? = if case .index = integrity { input } else { nil }
            _ = try ContentSampler.sample(path: path, opened: unread, videoIndex: videoIndex, audioIndex: audioIndex, audio: audioNeed,
                                      frameCount: frames, throughLastFrame: content.lastFrame != nil, into: analyzer)
            contentMeasurement = analyzer.measurement(sampled: true, references: references)
        }
        let audio = audioIndex.map(input.describe)
        let measurement = VideoMeasurement(
            path: path, size: size, container: input.formatName, videoCodec: video.codecName, videoDecodable: video.hasDecoder,
            width: video.width, height: video.height, fps: video.frameRate, frames: frames, integrity: integrity,
            hasAudio: audio != nil, audioCodec: audio.flatMap { $0.hasCodec ? $0.codecName : nil }, decoding: decoding,
            content: contentMeasurement
        )
        return (measurement, sheet)
    }

    /// Compares a measured video with what was requested: the checks, in order, and the report.
    /// Pure: no file is read.
    public static func judge(_ m: VideoMeasurement, against request: VerificationRequest) -> VerificationReport {
        var checks: [VerificationCheck] = []
        checks.append(VerificationCheck(name: "container", expected: "readable", actual: m.container, passed: true))
        checks.append(VerificationCheck(name: "video_codec", expected: "decodable", actual: m.videoCodec, passed: m.videoDecodable))
        switch m.integrity {
        case .index(let entries, let lastByte):
            if entries == 0 {
                checks.append(VerificationCheck(name: "index_within_file", expected: "index present", actual: "no index entries", passed: false))
            } else {
                checks.append(VerificationCheck(
                    name: "index_within_file", expected: "packets end by byte \(m.size)", actual: "last packet ends at byte \(lastByte)", passed: lastByte <= m.size
                ))
            }
        case .packets(let readError):
            checks.append(VerificationCheck(
                name: "packets_readable", expected: "every packet readable to the end",
                actual: readError.map { "read stopped after \(m.frames) frames: \($0)" } ?? "read to the end",
                passed: readError == nil
            ))
        }
        let frames = m.frames
        if let expected = request.fps {
            checks.append(VerificationCheck(
                name: "fps", expected: expected.description, actual: m.fps?.description ?? "unknown", passed: m.fps == expected
            ))
        }
        checks.append(VerificationCheck(
            name: "frame_count_8n+1", expected: "N mod 8 = 1", actual: "\(frames) (mod 8 = \(frames % 8))", passed: frames % 8 == 1
        ))
        let rate = m.fps ?? request.fps
        let duration = rate.flatMap { $0.numerator > 0 ? Double(frames) / $0.value : nil }
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
            let passed = (request.width ?? m.width) == m.width && (request.height ?? m.height) == m.height
            checks.append(VerificationCheck(name: "resolution", expected: expected, actual: "\(m.width)x\(m.height)", passed: passed))
        }
        if request.audioExpected {
            checks.append(VerificationCheck(
                name: "audio", expected: "audio stream present", actual: m.audioCodec.map { "\($0) stream" } ?? "no audio stream",
                passed: m.audioCodec != nil
            ))
        }

        var firstBadFrame: Int? = nil
        if request.deep {
            if let decoding = m.decoding {
                firstBadFrame = decoding.firstBadFrame
                checks.append(VerificationCheck(
                    name: "decode",
                    expected: "\(frames) frames decode",
                    actual: decoding.error.map { "frame \(decoding.firstBadFrame ?? decoding.decodedFrames) failed: \($0)" }
                        ?? "\(decoding.decodedFrames) frames decoded",
                    passed: decoding.error == nil && decoding.decodedFrames == frames
                ))
                if m.hasAudio {
                    checks.append(VerificationCheck(
                        name: "audio_decode", expected: "every audio frame decodes",
                        actual: decoding.audioError.map { "failed: \($0)" } ?? "\(decoding.decodedAudioFrames) audio frames decoded",
                        passed: decoding.audioError == nil
                    ))
                }
            } else {
                checks.append(VerificationCheck(name: "decode", expected: "\(frames) frames decode", actual: "not decoded", passed: false))
            }
        }

        var summary: VerificationReport.ContentSummary? = nil
        if let expectation = request.content {
            let judged = ContentJudge.checks(m.content, expectation: expectation, audioExpected: request.audioExpected, hasAudio: m.hasAudio)
            checks += judged.checks
            summary = judged.summary
        }

        let measured = VerificationReport.Measured(
            container: m.container, videoCodec: m.videoCodec, width: m.width, height: m.height,
            fps: m.fps, frames: frames, duration: duration, audioCodec: m.audioCodec, size: m.size, content: summary
        )
        return VerificationReport(path: m.path, mode: request.mode.rawValue, checks: checks, measured: measured, firstBadFrame: firstBadFrame)
    }

    /// The first real video stream, probing packets when the header leaves out what verification needs.
    static func videoStream(of input: InputContext, path: String) throws(MediaError) -> Int {
        var index = input.firstVideoStream
        if index.map({ needsStreamInfo(input.describe($0)) }) ?? true {
            do { try input.findStreamInfo() } catch {
                throw MediaError(.damaged, path: path, reason: "cannot read stream information (\(error.message))")
            }
            index = input.firstVideoStream
        }
        guard let index else {
            throw MediaError(.noVideo, path: path, reason: "has no video stream (container \(input.formatName))")
        }
        return index
    }

    /// True when the container header left out what verification needs, so packets must be probed.
    static func needsStreamInfo(_ video: StreamDescription) -> Bool {
        !video.hasCodec || video.width <= 0 || video.height <= 0 || video.frameRate == nil
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
