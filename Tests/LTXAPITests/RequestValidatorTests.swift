import Foundation
import Testing
@testable import LTXAPI

@Suite("RequestValidator")
struct RequestValidatorTests {
    @Test("ltx-2-fast at 1920x1080/25 fps allows 6–20 s", arguments: [6, 10, 15, 20])
    func fastFullHDRange(duration: Int) {
        #expect(Support.faults(Support.parameters(duration: duration)).isEmpty, "\(Support.messages(Support.parameters(duration: duration)))")
    }

    @Test("ltx-2-fast at 1920x1080/25 fps refuses outside 6–20 s", arguments: [5, 21, 30, 0])
    func fastFullHDOutside(duration: Int) {
        let p = Support.parameters(duration: duration)
        #expect(Support.faults(p) == ["duration"])
        #expect(Support.messages(p) == "duration \(duration) is outside 6–20 for ltx-2-fast at 1920x1080/25fps")
    }

    @Test("ltx-2-fast above 1080p or at 50 fps allows only 6–10 s")
    func fastOtherwise() {
        #expect(Support.faults(Support.parameters(resolution: "3840x2160", duration: 10)).isEmpty)
        #expect(Support.faults(Support.parameters(resolution: "3840x2160", duration: 12)) == ["duration"])
        #expect(Support.faults(Support.parameters(duration: 10, fps: 50)).isEmpty)
        let fifty = Support.parameters(duration: 20, fps: 50)
        #expect(Support.faults(fifty) == ["duration"])
        #expect(Support.messages(fifty).contains("outside 6–10 for ltx-2-fast above 1080p or at 50 fps"))
    }

    @Test("ltx-2-pro allows 6–10 s")
    func proRange() {
        for duration in [6, 8, 10] {
            #expect(Support.faults(Support.parameters(model: "ltx-2-pro", duration: duration)).isEmpty)
        }
        let long = Support.parameters(model: "ltx-2-pro", duration: 30)
        #expect(Support.faults(long) == ["duration"])
        #expect(Support.messages(long) == "duration 30 is outside 6–10 for ltx-2-pro")
    }

    @Test("image-to-video allows 6–10 s, even on ltx-2-fast at 1080p/25")
    func imageToVideoRange() {
        #expect(Support.faults(Support.parameters(.imageToVideo, duration: 10)).isEmpty)
        let long = Support.parameters(.imageToVideo, duration: 15)
        #expect(Support.faults(long) == ["duration"])
        #expect(Support.messages(long) == "duration 15 is outside 6–10 for image-to-video")
        #expect(Support.faults(Support.parameters(.imageToVideo, duration: 5)) == ["duration"])
    }

    @Test("audio-to-video needs ltx-2-pro")
    func audioToVideoModel() {
        #expect(Support.faults(Support.parameters(.audioToVideo, model: "ltx-2-pro")).isEmpty)
        let fast = Support.parameters(.audioToVideo, model: "ltx-2-fast")
        #expect(Support.faults(fast) == ["model"])
        #expect(Support.messages(fast) == "audio-to-video needs model ltx-2-pro, not ltx-2-fast")
    }

    @Test("audio-to-video takes 1920x1080 only")
    func audioToVideoResolution() {
        for resolution in ["2560x1440", "3840x2160"] {
            let p = Support.parameters(.audioToVideo, model: "ltx-2-pro", resolution: resolution)
            #expect(Support.faults(p) == ["resolution"])
            #expect(Support.messages(p) == "audio-to-video needs resolution 1920x1080, not \(resolution)")
        }
    }

    @Test("fps must be 25 or 50", arguments: [24, 30, 60, 0])
    func fpsChoices(fps: Int) {
        let p = Support.parameters(fps: fps)
        #expect(Support.faults(p).contains("fps"))
        #expect(Support.messages(p).contains("fps \(fps) is not one of 25, 50"))
    }

    @Test("an unknown model is named, with the models on offer")
    func unknownModel() {
        let p = Support.parameters(model: "ltx-3-ultra")
        #expect(Support.faults(p) == ["model"])
        #expect(Support.messages(p) == "model ltx-3-ultra is not one of ltx-2-fast, ltx-2-pro")
    }

    @Test("1920x1080 is a valid preset although 1080 is not divisible by 32")
    func fullHDPreset() {
        #expect(1080 % 32 != 0)
        #expect(Support.validator.violations(Support.parameters(resolution: "1920x1080")).isEmpty)
    }

    @Test("resolutions outside the presets are refused", arguments: ["1280x720", "1920x1088", "1080x1920"])
    func nonPresetResolution(resolution: String) {
        let p = Support.parameters(resolution: resolution)
        #expect(Support.faults(p).contains("resolution"))
        #expect(Support.messages(p).contains("resolution \(resolution) is not one of 1920x1080, 2560x1440, 3840x2160"))
    }

    @Test("an empty prompt is a violation")
    func emptyPrompt() {
        #expect(Support.faults(Support.parameters(prompt: "  \n")) == ["prompt"])
    }

    @Test("several faults are all reported")
    func severalFaults() {
        let p = Support.parameters(.audioToVideo, model: "ltx-2-fast", resolution: "3840x2160", duration: 30, fps: 30)
        let faults = Support.faults(p)
        #expect(faults.contains("model"))
        #expect(faults.contains("resolution"))
        #expect(faults.contains("fps"))
        #expect(faults.contains("duration"))
    }

    @Test("estimated cost: price per second × duration", arguments: [
        ("ltx-2-fast", "1920x1080", 6, 0.12),
        ("ltx-2-pro", "3840x2160", 6, 1.20),
        ("ltx-2-fast", "2560x1440", 10, 0.40),
        ("ltx-2-pro", "1920x1080", 10, 0.50),
        ("ltx-2-fast", "1920x1080", 20, 0.40),
    ])
    func estimatedCost(model: String, resolution: String, duration: Int, expected: Double) throws {
        let cost = try #require(Support.validator.estimatedCost(Support.parameters(model: model, resolution: resolution, duration: duration)))
        #expect(abs(cost - expected) < 1e-9, "got \(cost)")
    }

    @Test("no estimate for an unknown model or a resolution without a price")
    func noEstimate() {
        #expect(Support.validator.estimatedCost(Support.parameters(model: "ltx-3-ultra")) == nil)
        #expect(Support.validator.estimatedCost(Support.parameters(resolution: "1280x720")) == nil)
    }

    // MARK: ltx-v2, per the facts of api.ltx.video

    static let v2 = RequestValidator(catalog: .ltxV2)

    static func v2(_ mode: GenerationMode = .textToVideo, model: String = "ltx-2-3-fast", resolution: String = "1920x1080",
                   duration: Int = 6, fps: Int = 24, prompt: String = "a red kite over the sea") -> GenerationParameters {
        GenerationParameters(mode: mode, prompt: prompt, model: model, resolution: Resolution(parsing: resolution), duration: duration, fps: fps, catalog: .ltxV2)
    }

    static func v2Messages(_ parameters: GenerationParameters, hasLastFrame: Bool = false) -> [String] {
        v2.violations(parameters, hasLastFrame: hasLastFrame).map(\.message)
    }

    @Test("duration auto: offered by ltx-2-5 models and sent as null; refused elsewhere naming who offers it; priced at the longest length")
    func autoDuration() throws {
        let auto = GenerationParameters(mode: .textToVideo, prompt: "a kite", model: "ltx-2-5-fast", resolution: Resolution(parsing: "1280x720"),
                                        choice: .auto, fps: 24, catalog: .ltxV2)
        #expect(auto.duration == nil)
        #expect(Self.v2Messages(auto).isEmpty)
        // The service may pick up to 20 s at 720p/24 fps: the estimate is the most it can charge, 0.09 $/s × 20 s.
        #expect(Self.v2.longestDuration(auto) == 20)
        #expect(abs((Self.v2.estimatedCost(auto) ?? 0) - 1.8) < 1e-9)
        var at50 = auto
        at50.fps = 50
        #expect(Self.v2.longestDuration(at50) == 10, "longer than 10 s only at 720p/1080p, 24/25 fps")

        var older = auto
        older.model = "ltx-2-3-fast"
        let messages = Self.v2Messages(older)
        #expect(messages.contains { $0.contains("duration auto is not offered by ltx-2-3-fast") && $0.contains("ltx-2-5-fast") }, "\(messages)")

        let request = try LTXV2Dialect(catalog: .ltxV2).submitRequest(auto, inputs: GenerationInputs(), base: URL(string: "https://api.ltx.video")!)
        guard case .data(let body, _) = request.body else { Issue.record("no JSON body"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object.keys.contains("duration") && object["duration"] is NSNull, "auto travels as an explicit null: \(String(decoding: body, as: UTF8.self))")

        #expect(DurationChoice(parsing: "auto") == .auto && DurationChoice(parsing: "8") == .seconds(8))
        #expect(DurationChoice(parsing: "0") == nil && DurationChoice(parsing: "-3") == nil && DurationChoice(parsing: "soon") == nil)
        #expect(throws: APIError.self) {
            try GenerationsDialect().submitRequest(GenerationParameters(mode: .textToVideo, prompt: "x", choice: .auto), inputs: GenerationInputs(),
                                                   base: URL(string: "http://127.0.0.1:1/v1")!)
        }
    }

    @Test("a removed model is refused locally, naming its replacement", arguments: [("ltx-2-fast", "ltx-2-3-fast"), ("ltx-2-pro", "ltx-2-3-pro")])
    func removedModel(model: String, replacement: String) {
        for mode in GenerationMode.allCases {
            let p = Self.v2(mode, model: model)
            #expect(Self.v2.violations(p).map(\.parameter) == ["model"])
            #expect(Self.v2Messages(p) == ["model \(model) was removed from the ltx-v2 service on 2026-08-15; use \(replacement) instead"])
        }
        #expect(Self.v2.warnings(Self.v2(model: model)).isEmpty)
    }

    @Test("an unknown model lists only the models on offer")
    func v2UnknownModel() {
        #expect(Self.v2Messages(Self.v2(model: "ltx-3")) == ["model ltx-3 is not one of ltx-2-3-fast, ltx-2-3-pro, ltx-2-5-fast, ltx-2-5-pro"])
    }

    @Test("durations are a discrete set", arguments: ["ltx-2-3-fast", "ltx-2-3-pro", "ltx-2-5-fast", "ltx-2-5-pro"])
    func discreteDurations(model: String) {
        for duration in [2, 3, 4, 5, 6, 8, 10] {
            #expect(Self.v2.violations(Self.v2(model: model, duration: duration)).isEmpty, "\(model) \(duration) s")
        }
        for duration in [1, 7, 9, 11] {
            #expect(Self.v2.violations(Self.v2(model: model, duration: duration)).map(\.parameter) == ["duration"], "\(model) \(duration) s")
        }
        let expected = model.hasSuffix("pro") ? "duration 7 is not one of 2, 3, 4, 5, 6, 8, 10 for \(model)"
            : "duration 7 is not one of 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20 for \(model) at 720p/1080p, 24/25 fps"
        #expect(Self.v2Messages(Self.v2(model: model, duration: 7)) == [expected])
    }

    @Test("fast models go above 10 s only at 720p/1080p with 24 or 25 fps, image-to-video too", arguments: ["ltx-2-3-fast", "ltx-2-5-fast"])
    func fastLongDurations(model: String) {
        for mode in [GenerationMode.textToVideo, .imageToVideo] {
            for resolution in ["1280x720", "1920x1080", "720x1280", "1080x1920"] {
                for fps in [24, 25] {
                    for duration in [12, 14, 16, 18, 20] {
                        #expect(Self.v2.violations(Self.v2(mode, model: model, resolution: resolution, duration: duration, fps: fps)).isEmpty,
                                "\(model) \(mode) \(resolution) \(fps) fps \(duration) s")
                    }
                }
            }
            #expect(Self.v2.violations(Self.v2(mode, model: model, duration: 13)).map(\.parameter) == ["duration"])
            for (resolution, fps) in [("2560x1440", 24), ("3840x2160", 25), ("1440x2560", 24), ("1920x1080", 48), ("1280x720", 50)] {
                let p = Self.v2(mode, model: model, resolution: resolution, duration: 12, fps: fps)
                #expect(Self.v2Messages(p) == ["duration 12 is not one of 2, 3, 4, 5, 6, 8, 10 for \(model) above 1080p or above 25 fps (longer than 10 s only at 720p/1080p, 24/25 fps)"])
                #expect(Self.v2.violations(Self.v2(mode, model: model, resolution: resolution, duration: 10, fps: fps)).isEmpty)
            }
        }
        #expect(Self.v2Messages(Self.v2(model: "ltx-2-3-pro", duration: 12)) == ["duration 12 is not one of 2, 3, 4, 5, 6, 8, 10 for ltx-2-3-pro"])
    }

    @Test("720p and every portrait twin are offered; ltx-2-5-pro stops at 1080p and has no 48 fps")
    func v2ResolutionsAndFps() {
        for resolution in ["1280x720", "720x1280", "1080x1920", "1440x2560", "2160x3840"] {
            #expect(Self.v2.violations(Self.v2(resolution: resolution)).isEmpty, "\(resolution)")
        }
        #expect(Self.v2Messages(Self.v2(model: "ltx-2-5-pro", resolution: "2560x1440"))
                == ["resolution 2560x1440 is not one of 1280x720, 1920x1080, 720x1280, 1080x1920 for ltx-2-5-pro"])
        #expect(Self.v2Messages(Self.v2(model: "ltx-2-5-pro", fps: 48)) == ["fps 48 is not one of 24, 25, 50 for ltx-2-5-pro"])
        #expect(Self.v2.violations(Self.v2(model: "ltx-2-5-pro", fps: 50)).isEmpty)
        #expect(Self.v2.violations(Self.v2(model: "ltx-2-3-pro", fps: 48)).isEmpty)
        #expect(Self.v2Messages(Self.v2(fps: 30)) == ["fps 30 is not one of 24, 25, 48, 50"])
    }

    @Test("prompts up to 5000 characters")
    func promptLength() {
        #expect(Self.v2.violations(Self.v2(prompt: String(repeating: "a", count: 5000))).isEmpty)
        #expect(Self.v2Messages(Self.v2(prompt: String(repeating: "a", count: 5001))) == ["prompt is 5001 characters; at most 5000"])
        #expect(Support.faults(Support.parameters(prompt: String(repeating: "a", count: 6000))).isEmpty)
    }

    @Test("audio-to-video: ltx-2-3-pro, 1920x1080 or 1080x1920, 25 fps, guidance scale 1–50")
    func v2AudioToVideo() {
        var p = Self.v2(.audioToVideo, model: "ltx-2-3-pro", fps: 25)
        #expect(Self.v2.violations(p).isEmpty)
        p.resolution = Resolution(width: 1080, height: 1920)
        #expect(Self.v2.violations(p).isEmpty)
        p.resolution = Resolution(width: 1280, height: 720)
        #expect(Self.v2Messages(p) == ["audio-to-video needs resolution 1920x1080 or 1080x1920, not 1280x720"])
        #expect(Self.v2Messages(Self.v2(.audioToVideo, model: "ltx-2-5-pro", fps: 25)) == ["audio-to-video needs model ltx-2-3-pro, not ltx-2-5-pro"])
        #expect(Self.v2Messages(Self.v2(.audioToVideo, model: "ltx-2-3-pro", fps: 24)) == ["audio-to-video output is always 25 fps, not 24"])
        var guided = Self.v2(.audioToVideo, model: "ltx-2-3-pro", fps: 25)
        for scale in [1.0, 9, 50] {
            guided.guidanceScale = scale
            #expect(Self.v2.violations(guided).isEmpty)
        }
        for scale in [0.5, 50.5, .nan] {
            guided.guidanceScale = scale
            #expect(Self.v2.violations(guided).map(\.parameter) == ["guidance_scale"], "\(scale)")
        }
        guided.guidanceScale = 51
        #expect(Self.v2Messages(guided) == ["guidance scale 51 is outside 1–50"])
    }

    @Test("a last frame only on the ltx-2-3 models")
    func v2LastFrame() {
        #expect(Self.v2.violations(Self.v2(.imageToVideo, model: "ltx-2-3-fast"), hasLastFrame: true).isEmpty)
        #expect(Self.v2.violations(Self.v2(.imageToVideo, model: "ltx-2-5-fast"), hasLastFrame: true).map(\.parameter) == ["last_frame"])
    }

    @Test("estimates by tier: the frame's short side, portrait as landscape", arguments: [
        ("ltx-2-3-fast", "1280x720", 10, 0.30), ("ltx-2-3-fast", "720x1280", 10, 0.30), ("ltx-2-3-fast", "1080x1920", 6, 0.36),
        ("ltx-2-3-fast", "2160x3840", 5, 1.20), ("ltx-2-3-pro", "1440x2560", 10, 1.60), ("ltx-2-3-pro", "1920x1080", 8, 0.64),
        ("ltx-2-5-fast", "720x1280", 4, 0.36),
    ])
    func v2Estimates(model: String, resolution: String, duration: Int, expected: Double) throws {
        let cost = try #require(Self.v2.estimatedCost(Self.v2(model: model, resolution: resolution, duration: duration)))
        #expect(abs(cost - expected) < 1e-9, "got \(cost)")
    }

    @Test("an estimate that needs an unknown price is unknown, never 0", arguments: [
        ("ltx-2-5-fast", "1920x1080"), ("ltx-2-5-fast", "1080x1920"), ("ltx-2-5-fast", "3840x2160"), ("ltx-2-3-pro", "1280x720"),
        ("ltx-2-5-pro", "1280x720"), ("ltx-2-5-pro", "1920x1080"),
    ])
    func unknownPrice(model: String, resolution: String) {
        let p = Self.v2(model: model, resolution: resolution)
        #expect(Self.v2.estimatedCost(p) == nil)
        #expect(Catalog.ltxV2.priceKey(p) == "models.\(model).prices.\(Resolution(parsing: resolution)?.tier ?? "")")
    }

    @Test("audio-to-video is priced per second of input audio, unknown until the audio's length is known")
    func audioPrice() throws {
        let p = Self.v2(.audioToVideo, model: "ltx-2-3-pro", fps: 25)
        #expect(Self.v2.estimatedCost(p) == nil)
        #expect(try #require(Self.v2.estimatedCost(p, audioSeconds: 7.5)) == 0.75)
        #expect(try #require(Self.v2.estimatedCost(p, audioSeconds: 20)) == 2.0)
        #expect(Catalog.ltxV2.priceKey(p) == "models.ltx-2-3-pro.audio_price")
        // The generations protocol bills audio-to-video per second of video, as before.
        #expect(Support.validator.estimatedCost(Support.parameters(.audioToVideo, model: "ltx-2-pro", duration: 8)) == 0.40)
    }

    @Test("removed models keep their prices for old records")
    func removedPrices() {
        #expect(Self.v2.estimatedCost(Self.v2(model: "ltx-2-fast", resolution: "2560x1440", duration: 10)) == 0.80)
        #expect(Self.v2.estimatedCost(Self.v2(model: "ltx-2-pro", resolution: "1920x1080", duration: 10)) == 0.60)
    }
}
