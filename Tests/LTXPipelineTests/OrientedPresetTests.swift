import LTXAPI
import LTXGeneration
import Testing

/// `fit: auto` picks the preset of the start image's orientation, of the same price tier, only where the catalog
/// offers one.
@Suite("fit auto: the preset of the image's orientation")
struct OrientedPresetTests {
    static func imageToVideo(_ resolution: Resolution? = nil, model: String? = nil, catalog: Catalog) -> GenerationParameters {
        GenerationParameters(mode: .imageToVideo, prompt: "p", model: model, resolution: resolution, catalog: catalog)
    }

    @Test func aPortraitImageGetsThePortraitPresetOfTheSameTier() throws {
        let chosen = try #require(OrientedPreset.choose(for: Self.imageToVideo(catalog: .ltxV2), imageWidth: 3024, imageHeight: 4032, catalog: .ltxV2))
        #expect(chosen.resolution == Resolution(width: 1080, height: 1920))
        #expect(chosen.note.contains("portrait (3024x4032 as displayed)") && chosen.note.contains("instead of 1920x1080"))
        let tier1440 = OrientedPreset.choose(for: Self.imageToVideo(Resolution(width: 2560, height: 1440), catalog: .ltxV2),
                                             imageWidth: 900, imageHeight: 1600, catalog: .ltxV2)
        #expect(tier1440?.resolution == Resolution(width: 1440, height: 2560))
    }

    @Test func aMatchingOrSquareImageOrACatalogWithoutPortraitPresetsChangesNothing() {
        #expect(OrientedPreset.choose(for: Self.imageToVideo(catalog: .ltxV2), imageWidth: 1600, imageHeight: 900, catalog: .ltxV2) == nil)
        #expect(OrientedPreset.choose(for: Self.imageToVideo(catalog: .ltxV2), imageWidth: 1000, imageHeight: 1000, catalog: .ltxV2) == nil)
        #expect(OrientedPreset.choose(for: Self.imageToVideo(catalog: .generations), imageWidth: 900, imageHeight: 1600, catalog: .generations) == nil,
                "the generations catalog offers landscape presets only: the image is cropped as before")
    }
}
