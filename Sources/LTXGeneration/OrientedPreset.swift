import LTXAPI
import LTXMedia

/// `fit: auto`: when no resolution was asked, a start image picks the catalog's preset of its own orientation
/// (EXIF orientation applied), so a portrait still becomes a portrait video instead of a centre-crop of a
/// landscape frame.
public struct OrientedPreset: Sendable, Equatable {
    /// The resolution chosen for the request.
    public var resolution: Resolution
    /// One line for the log: what the image is and what was chosen.
    public var note: String

    /// The preset for a start image of `imageWidth`x`imageHeight` (displayed) in a request of `parameters`, whose
    /// resolution is the default one: the preset of the same price tier and the image's orientation, among the
    /// mode's presets (when the catalog restricts the mode) or else the model's. Nil when the default already has
    /// the image's orientation, the image is square, or the catalog offers no preset of that orientation. A mode whose
    /// service follows the image itself (`optional_image`, audio-to-video on ltx-v2) gets that mode's preset whatever
    /// the fit, so callers ask for it then too.
    public static func choose(for parameters: GenerationParameters, imageWidth: Int, imageHeight: Int, catalog: Catalog) -> OrientedPreset? {
        guard imageWidth > 0, imageHeight > 0, imageWidth != imageHeight else { return nil }
        let portrait = imageHeight > imageWidth
        let current = parameters.resolution
        guard (current.height > current.width) != portrait else { return nil }
        let rule = catalog.modeRule(parameters.mode)
        let shape = portrait ? "portrait" : "landscape"
        if let rule, rule.optionalImage == true, let oriented = rule.resolution(followingImageOf: imageWidth, imageHeight) {
            guard oriented != current else { return nil }
            return OrientedPreset(
                resolution: oriented,
                note: "\(parameters.mode.rawValue) follows its start image, as the service does: the image is \(shape) (\(imageWidth)x\(imageHeight) as displayed), so \(oriented) is asked for instead of \(current)"
            )
        }
        let chosen: Resolution?
        do {
            let offered = rule?.resolutions ?? catalog.model(parameters.model)?.resolutions ?? []
            let matching = offered.filter { ($0.height > $0.width) == portrait }
            chosen = matching.first { $0.tier == current.tier } ?? matching.first
        }
        guard let chosen, chosen != current else { return nil }
        return OrientedPreset(
            resolution: chosen,
            note: "fit auto: the start image is \(shape) (\(imageWidth)x\(imageHeight) as displayed), so the \(shape) preset \(chosen) is asked for instead of \(current)"
        )
    }
}
