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
}
