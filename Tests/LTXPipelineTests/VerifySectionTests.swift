import Foundation
import LTXGeneration
import LTXMedia
@testable import LTXPipeline
import Testing

/// The `verify:` section: mode, content thresholds, and `file:line: key: message` errors.
@Suite("Pipeline file: verify section")
struct VerifySectionTests {
    private static let head = """
    name: t
    drop: ./drop
    archive: ./archive
    failed: ./failed
    state: ./state
    api:
      base: simulator

    """

    private func parse(_ verify: String) throws -> PipelineConfiguration.Verify {
        try PipelineFile.parse(yaml: Self.head + verify, path: "/srv/p/t.yml").verify
    }

    private func error(_ verify: String) -> String? {
        do {
            _ = try PipelineFile.parse(yaml: Self.head + verify, path: "pipelines/x.yml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("no verify section: deep with the default content checks, handed to the generation steps as such")
    func defaultIsDeepWithContent() throws {
        let verify = try PipelineFile.parse(yaml: Self.head, path: "/srv/p/t.yml").verify
        #expect(verify.mode == .deep)
        #expect(verify.content == ContentThresholds())
        #expect(verify.settings == VerificationSettings(mode: .deep, durationTolerance: 0.5, content: ContentThresholds()))
    }

    @Test("mode, content limits and content: off are read")
    func readsEverything() throws {
        let verify = try parse("""
        verify:
          mode: sampled
          content:
            black: { max_share: 0.2, max_luma: 12, max_spread: 2.5 }
            frozen: { max_share: 0.1 }
            start_image: { min_ssim: 0.7 }
            sound: { min_dbfs: -50 }
            soundtrack: { length_tolerance: 1, min_correlation: 0.6 }
        """)
        #expect(verify.mode == .sampled)
        let expected = ContentThresholds(
            black: .init(maxShare: 0.2, maxLuma: 12, maxSpread: 2.5), frozen: .init(maxShare: 0.1), startImage: .init(minSimilarity: 0.7),
            sound: .init(minLevel: -50), soundtrack: .init(lengthTolerance: 1, minCorrelation: 0.6))
        #expect(verify.content == expected)
        #expect(try parse("verify:\n  content: off\n").content == nil)
        #expect(try parse("verify:\n  mode: quick\n").mode == .quick)
        #expect(try parse("verify:\n  deep: false\n").mode == .quick)
        #expect(try parse("verify:\n  content:\n    frozen: { max_share: 0.3 }\n").content == ContentThresholds(frozen: .init(maxShare: 0.3)))
    }

    @Test("bad values are file:line: key: message errors", arguments: [
        ("verify:\n  mode: thorough\n", "pipelines/x.yml:9: verify.mode must be deep, sampled or quick, got \"thorough\""),
        ("verify:\n  content:\n    black: { max_share: 1.5 }\n", "pipelines/x.yml:10: verify.content.black.max_share must be a share between 0 and 1, got 1.5"),
        ("verify:\n  content:\n    sound: { min_dbfs: 3 }\n", "pipelines/x.yml:10: verify.content.sound.min_dbfs must be a level in dBFS between -150 and 0, got 3"),
        ("verify:\n  content:\n    start_image: { min_ssim: high }\n", "pipelines/x.yml:10: verify.content.start_image.min_ssim must be an SSIM between -1 and 1, got \"high\""),
        ("verify:\n  content:\n    blak: { max_share: 0.5 }\n", "pipelines/x.yml:10: unknown key \"blak\" in verify.content (did you mean \"black\"?)"),
        ("verify:\n  mode: quick\n  deep: true\n", "pipelines/x.yml:10: verify.deep: true contradicts verify.mode: quick; keep verify.mode"),
    ])
    func errors(yaml: String, message: String) {
        #expect(error(yaml) == message)
    }
}
