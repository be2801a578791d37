/// The content checks: a content measurement compared with the thresholds. Pure: no file is read.
enum ContentJudge {
    /// The checks, in order (black, frozen, start image, last frame, sound, soundtrack), and the summary
    /// kept in the report.
    static func checks(_ measured: ContentMeasurement?, expectation: ContentExpectation, audioExpected: Bool, hasAudio: Bool)
        -> (checks: [VerificationCheck], summary: VerificationReport.ContentSummary?) {
        let t = expectation.thresholds
        guard let m = measured else {
            return ([VerificationCheck(name: "content", expected: "picture and sound analysed", actual: "not measured", passed: false)], nil)
        }
        var checks: [VerificationCheck] = []
        if let error = m.error {
            checks.append(VerificationCheck(name: "content", expected: "picture and sound analysed", actual: "analysis stopped: \(error)", passed: false))
        }
        let scope = m.sampled ? "sampled frames" : "frames"

        let black = m.frames.filter { $0.mean <= t.black.maxLuma || $0.spread <= t.black.maxSpread }.count
        let meanLuma = m.frames.isEmpty ? 0 : m.frames.reduce(0) { $0 + $1.mean } / Double(m.frames.count)
        let blackShare = m.frames.isEmpty ? 1 : Double(black) / Double(m.frames.count)
        checks.append(VerificationCheck(
            name: "black_frames",
            expected: "≤ \(percent(t.black.maxShare)) of \(scope) black (mean luma ≤ \(number(t.black.maxLuma))) or flat (spread ≤ \(number(t.black.maxSpread)))",
            actual: m.frames.isEmpty ? "no frame analysed"
                : "\(black) of \(m.frames.count) (\(percent(blackShare))); mean luma \(number(meanLuma)), least spread \(number(m.frames.map(\.spread).min() ?? 0))",
            passed: !m.frames.isEmpty && blackShare <= t.black.maxShare
        ))

        let frozenShare = m.pairs == 0 ? 0 : Double(m.identicalPairs) / Double(m.pairs)
        checks.append(VerificationCheck(
            name: "frozen_frames",
            expected: "≤ \(percent(t.frozen.maxShare)) of consecutive pairs identical",
            actual: m.pairs == 0 ? "no pair of consecutive frames" : "\(m.identicalPairs) of \(m.pairs) pairs identical (\(percent(frozenShare)))",
            passed: m.pairs > 0 && frozenShare <= t.frozen.maxShare
        ))

        func likeness(_ name: String, _ what: String, _ similarity: Double?) {
            checks.append(VerificationCheck(
                name: name, expected: "SSIM ≥ \(number(t.startImage.minSimilarity)) with the \(what)",
                actual: similarity.map { "SSIM \(number($0))" } ?? "no frame to compare",
                passed: similarity.map { $0 >= t.startImage.minSimilarity } ?? false
            ))
        }
        if expectation.startImage != nil { likeness("start_image", "start image", m.startImageSimilarity) }
        if expectation.lastFrame != nil { likeness("last_frame", "last_frame image", m.lastFrameSimilarity) }

        if audioExpected || expectation.soundtrack != nil {
            let level = m.audio?.rmsDBFS
            checks.append(VerificationCheck(
                name: "sound", expected: "audio RMS ≥ \(number(t.sound.minLevel)) dBFS",
                actual: m.audio == nil ? (hasAudio ? "audio did not decode" : "no audio track")
                    : level.map { "\(number($0)) dBFS" } ?? "silent (every sample zero)",
                passed: level.map { $0 >= t.sound.minLevel } ?? false
            ))
        }

        var correlation: Double? = nil
        if expectation.soundtrack != nil, let reference = m.soundtrack {
            let output = m.audio
            checks.append(VerificationCheck(
                name: "soundtrack_length",
                expected: "\(number(reference.seconds)) s ± \(number(t.soundtrack.lengthTolerance)) (the input audio)",
                actual: output.map { "\(number($0.seconds)) s" } ?? "no audio",
                passed: output.map { abs($0.seconds - reference.seconds) <= t.soundtrack.lengthTolerance } ?? false
            ))
            let actual: String, passed: Bool
            if let output {
                correlation = output.correlation(with: reference)
                if let correlation {
                    actual = "correlation \(number(correlation))"
                    passed = correlation >= t.soundtrack.minCorrelation
                } else if output.isFlat && reference.isFlat, let a = output.rmsDBFS, let b = reference.rmsDBFS {
                    // Two steady tones: no envelope to correlate, so their levels must agree.
                    actual = "both steady; levels \(number(a)) and \(number(b)) dBFS"
                    passed = abs(a - b) <= 6
                } else {
                    actual = output.isFlat ? "output audio is steady, the input is not" : "input audio is steady, the output is not"
                    passed = false
                }
            } else {
                actual = "no audio"
                passed = false
            }
            checks.append(VerificationCheck(
                name: "soundtrack_match", expected: "loudness envelope correlation ≥ \(number(t.soundtrack.minCorrelation)) with the input audio",
                actual: actual, passed: passed
            ))
        }

        let summary = VerificationReport.ContentSummary(
            framesAnalyzed: m.frames.count, blackFrames: black, meanLuma: rounded(meanLuma),
            pairsCompared: m.pairs, identicalPairs: m.identicalPairs,
            startImageSimilarity: m.startImageSimilarity.map(rounded), lastFrameSimilarity: m.lastFrameSimilarity.map(rounded),
            audioLevel: m.audio?.rmsDBFS.map(rounded), audioSeconds: m.audioWindowed ? nil : m.audio.map { rounded($0.seconds) },
            soundtrackSeconds: m.soundtrack.map { rounded($0.seconds) }, envelopeCorrelation: correlation.map(rounded)
        )
        return (checks, summary)
    }

    static func rounded(_ value: Double) -> Double { value.isFinite ? (value * 1000).rounded() / 1000 : 0 }
    static func number(_ value: Double) -> String { VideoVerifier.format(value) }
    static func percent(_ share: Double) -> String { "\(VideoVerifier.format(share * 100)) %" }
}
