/// How an image whose aspect ratio differs from the target's is made to fit.
public enum FitMode: String, Sendable, Codable, CaseIterable {
    /// Scale to cover the target and cut the overflow equally from both sides.
    case crop
    /// Scale to fit inside the target and fill the rest with black bars.
    case pad
    /// Leave the aspect ratio alone (only re-encode or shrink when another rule requires it).
    case keep
    /// Choose the preset whose orientation matches the image where the catalog offers one (decided before the
    /// request is built), then crop what still differs.
    case auto

    /// How the picture is fitted once the target is fixed: `auto` crops.
    public var fitting: FitMode { self == .auto ? .crop : self }
}

/// What the API accepts for an image-to-video start image.
public struct ImageTarget: Sendable, Codable, Equatable {
    /// Target width in pixels.
    public var width: Int
    /// Target height in pixels.
    public var height: Int
    /// How other aspect ratios are handled.
    public var fit: FitMode
    /// Largest file the API takes, in bytes.
    public var maxBytes: Int64
    /// Largest picture a header may claim before we refuse to decode it.
    public var maxPixels: Int
    /// Relative aspect-ratio difference still counted as a match.
    public var aspectTolerance: Double
    /// Re-encode even a conforming image (after the API refused it once with 413 or 422).
    public var forceTranscode = false
    /// Container formats the API takes as they are.
    public var acceptedFormats: Set<ImageHeader.Format> = [.jpeg, .png, .webp, .gif]

    /// The reference limits: 20 MB, 100 megapixels, 1 % aspect tolerance.
    public init(width: Int, height: Int, fit: FitMode = .crop, maxBytes: Int64 = 20_000_000,
                maxPixels: Int = 100_000_000, aspectTolerance: Double = 0.01) {
        self.width = width
        self.height = height
        self.fit = fit
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.aspectTolerance = aspectTolerance
    }
}

/// What the API accepts for an audio-to-video soundtrack.
public struct AudioTarget: Sendable, Codable, Equatable {
    /// Longest audio the request allows, in seconds.
    public var maxDuration: Double
    /// Shortest audio the request allows, in seconds (0 when there is no floor).
    public var minDuration: Double
    /// Largest file the API takes, in bytes.
    public var maxBytes: Int64
    /// Longest input we will decode at all, in seconds (hostile-file guard).
    public var maxInputDuration: Double
    /// Re-encode even conforming audio (after the API refused it once with 413 or 422).
    public var forceTranscode = false
    /// Formats the API takes as they are (`mp3`, `wav`, `ogg`, `m4a`, `aac`).
    public var acceptedFormats: Set<String> = ["mp3", "wav", "ogg", "m4a", "aac"]

    /// The reference limits: 50 MB.
    public init(maxDuration: Double, minDuration: Double = 0, maxBytes: Int64 = 50_000_000, maxInputDuration: Double = 4 * 3600) {
        self.maxDuration = maxDuration
        self.minDuration = minDuration
        self.maxBytes = maxBytes
        self.maxInputDuration = maxInputDuration
    }
}
