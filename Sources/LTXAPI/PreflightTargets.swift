import LTXMedia

/// What the catalog of a dialect asks of inputs and promises of outputs, for preflight and verification.
public enum PreflightTargets {
    /// The start-image target of a request.
    public static func image(_ parameters: GenerationParameters, catalog: Catalog, fit: FitMode, force: Bool = false) -> ImageTarget {
        var target = ImageTarget(width: parameters.resolution.width, height: parameters.resolution.height, fit: fit,
                                 maxBytes: catalog.inputs.image.maxBytes)
        target.acceptedFormats = Set(catalog.inputs.image.formats.compactMap(ImageHeader.Format.init(rawValue:)))
        target.forceTranscode = force
        if force { target.maxBytes = min(target.maxBytes, 8_000_000) }
        return target
    }

    /// The soundtrack target of a request: no longer than the request's duration, or (when the video follows
    /// the audio) within the mode's audio range.
    public static func audio(_ parameters: GenerationParameters, catalog: Catalog, force: Bool = false) -> AudioTarget {
        var target = AudioTarget(maxDuration: Double(parameters.duration ?? catalog.model(parameters.model)?.durations.max() ?? catalog.defaults.duration), minDuration: catalog.inputs.audio.minSeconds ?? 0,
                                 maxBytes: catalog.inputs.audio.maxBytes)
        if let rule = catalog.modeRule(parameters.mode), rule.durationFromAudio == true {
            if let longest = rule.maxAudioSeconds { target.maxDuration = longest }
            if let shortest = rule.minAudioSeconds { target.minDuration = max(target.minDuration, shortest) }
        }
        target.acceptedFormats = Set(catalog.inputs.audio.formats)
        target.forceTranscode = force
        return target
    }

    /// What the delivered video must be: the catalog's fixed fps for the mode or the request's, the audio's
    /// length when the video follows the audio, and a soundtrack unless the request turned it off.
    public static func expectedVideo(
        _ parameters: GenerationParameters, catalog: Catalog, audioSeconds: Double?, tolerance: Double, deep: Bool
    ) -> VerificationRequest {
        let rule = catalog.modeRule(parameters.mode)
        let fps = rule?.fixedFps ?? parameters.fps
        // `auto`: the service picks the length, so only fps and 8n+1 are checked and the measured length recorded.
        let requested = parameters.duration.map(Double.init)
        let duration = rule?.durationFromAudio == true ? (audioSeconds ?? requested) : requested
        let audio = parameters.mode == .audioToVideo || (catalog.supports("generate_audio") && parameters.generateAudio != false)
        return VerificationRequest(
            fps: Rational(fps, 1), duration: duration, width: catalog.rendered(parameters.resolution).width,
            height: catalog.rendered(parameters.resolution).height,
            audioExpected: audio, durationTolerance: tolerance, deep: deep
        )
    }
}
