import Testing
@testable import LTXMedia

/// `AudioPreflight.Plan` without any media: probe facts and a target in, a decision out.
@Suite("Audio preflight plan")
struct AudioPlanTests {
    /// 4 s of 44.1 kHz stereo MP3, 64 kB.
    static let mp3 = AudioPreflight.Facts(
        container: "mp3", codec: "mp3", hasVideo: false, sampleRate: 44_100, channels: 2, layout: "stereo", samples: 176_400, size: 64_000
    )
    static let target = AudioTarget(maxDuration: 6)

    private func decide(_ facts: AudioPreflight.Facts, _ target: AudioTarget = target) -> AudioPreflight.Plan.Decision {
        AudioPreflight.Plan(facts: facts, target: target).decide()
    }

    @Test("an accepted format within every limit passes through")
    func passThrough() {
        let decision = decide(Self.mp3)
        #expect(decision.passThrough)
        #expect(decision.refusal == nil)
        #expect(decision.format == "mp3" && decision.detectedFormat == "mp3")
        #expect(decision.actions.map(\.action) == [.passedThrough])
        #expect(decision.inputDescription == "MP3 44100 Hz stereo, 4.00 s, 64.0 kB")
        #expect(decision.keepSamples == 0)
    }

    @Test("each accepted (container, codec) pair is named; M4A with a video stream is not M4A", arguments: [
        ("wav", "pcm_s16le", false, "wav"), ("ogg", "vorbis", false, "ogg"), ("aac", "aac", false, "aac"),
        ("mov,mp4,m4a,3gp,3g2,mj2", "aac", false, "m4a"), ("mov,mp4,m4a,3gp,3g2,mj2", "aac", true, nil),
        ("flac", "flac", false, nil), ("ogg", "opus", false, nil),
    ] as [(String, String, Bool, String?)])
    func formats(container: String, codec: String, hasVideo: Bool, format: String?) {
        var facts = Self.mp3
        (facts.container, facts.codec, facts.hasVideo) = (container, codec, hasVideo)
        let decision = decide(facts)
        #expect(decision.format == format)
        #expect(decision.passThrough == (format != nil))
        if format == nil {
            #expect(decision.detectedFormat == "\(container)/\(codec)")
            #expect(decision.actions.first?.reason.contains("\(codec) in \(container) is not accepted by the API") == true)
        }
    }

    @Test("FLAC is converted: transcoded and resampled, every sample kept at 48 kHz")
    func convert() {
        var facts = Self.mp3
        (facts.container, facts.codec) = ("flac", "flac")
        let decision = decide(facts)
        #expect(!decision.passThrough)
        #expect(decision.actions.map(\.action) == [.transcoded, .resampled])
        #expect(decision.actions[1].reason == "44100 Hz resampled to 48000 Hz")
        #expect(decision.keepSamples == 4 * 48_000)
    }

    @Test("too long: trimmed to the safe MP3 length, with the reason")
    func trim() {
        var facts = Self.mp3
        facts.samples = 12 * 44_100
        let decision = decide(facts)
        #expect(decision.actions.map(\.action) == [.transcoded, .resampled, .trimmed])
        #expect(decision.actions[0].reason.contains("audio is 12.00 s, longer than the 6 s the request allows"))
        #expect(decision.keepSamples == AudioPreflight.safeSampleCount(maxDuration: 6))
        // A millisecond over is within the measuring slack; two are not.
        facts.samples = 6 * 44_100 + 44
        #expect(decide(facts).passThrough)
        facts.samples = 6 * 44_100 + 89
        #expect(decide(facts).actions.contains { $0.action == .trimmed })
    }

    @Test("mono and 5.1 are mixed to stereo; 48 kHz is not resampled")
    func channels() {
        var facts = Self.mp3
        (facts.codec, facts.container, facts.channels, facts.layout, facts.sampleRate, facts.samples) = ("flac", "flac", 1, "mono", 48_000, 96_000)
        #expect(decide(facts).actions.map(\.action) == [.transcoded, .downmixed])
        #expect(decide(facts).actions[1].reason == "mono mixed to stereo")
        (facts.channels, facts.layout) = (6, nil)
        #expect(decide(facts).actions[1].reason == "6 channels mixed to stereo")
    }

    @Test("shorter than the request's floor is refused as too short")
    func tooShort() {
        let decision = decide(Self.mp3, AudioTarget(maxDuration: 20, minDuration: 5))
        #expect(decision.refusal?.0 == .tooShort)
        #expect(decision.refusal?.1 == "audio is 4.00 s, shorter than the 5 s the request needs")
        #expect(decide(Self.mp3, AudioTarget(maxDuration: 20, minDuration: 4)).refusal == nil)
    }

    @Test("over the size limit, a refused original, or a format the target does not list: converted, with the reason")
    func otherReasons() {
        let big = decide(Self.mp3, AudioTarget(maxDuration: 6, maxBytes: 10_000))
        #expect(!big.passThrough && big.actions[0].reason.contains("file is 64.0 kB, over the 10.0 kB limit"))
        var forced = Self.target
        forced.forceTranscode = true
        #expect(decide(Self.mp3, forced).actions[0].reason.contains("the API refused the original once"))
        var mp3Only = Self.target
        mp3Only.acceptedFormats = ["wav"]
        #expect(decide(Self.mp3, mp3Only).format == nil)
    }
}
