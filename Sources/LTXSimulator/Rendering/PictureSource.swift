/// A synthetic 8-bit 4:2:0 picture defined for every column x ≥ 0, so it can scroll in from the right edge without
/// ever running out; values are limited-range Y′CbCr.
struct PictureSource: Sendable {
    /// Which picture.
    enum Kind: Sendable {
        /// Y 16, Cb = Cr = 128.
        case black
        /// Diagonal luma bands with a slowly growing component (so no two horizontal offsets look alike) over colour bars.
        case bands
        /// A checkerboard of large light and dark squares in two colours: unlike a photograph and unlike the bands.
        case checkerboard
        /// A given picture (``ImagePlanes``), continued to the right by the bands: scrolled, even a flat start image
        /// becomes a video that moves and shows something, as a real model's would.
        case image
    }

    /// A picture as limited-range 4:2:0 planes: luma `width × height`, chroma `width/2 × height/2`.
    struct ImagePlanes: Sendable {
        let width: Int
        let height: Int
        let luma: [UInt8]
        let cb: [UInt8]
        let cr: [UInt8]
    }

    let kind: Kind
    /// Band period and square size, from the picture's short side.
    private let scale: Int
    private let image: ImagePlanes?

    init(_ kind: Kind, width: Int, height: Int) {
        self.kind = kind
        scale = max(16, min(width, height) / 6)
        image = nil
    }

    /// A source showing `planes`.
    init(image planes: ImagePlanes) {
        kind = .image
        scale = max(16, min(planes.width, planes.height) / 6)
        image = planes
    }

    private static let bars: [(UInt8, UInt8)] = [(128, 128), (16, 146), (166, 16), (54, 34), (202, 222), (90, 240), (240, 110), (110, 60)]

    private static func bandLuma(_ x: Int, _ y: Int, scale: Int) -> UInt8 {
        let band = (x + y) % scale * 150 / scale
        let drift = (x * x / 8_192 + x / 3) % 50
        return UInt8(20 + band + drift)
    }

    private static func bandChroma(_ x: Int, scale: Int) -> (UInt8, UInt8) {
        bars[(x / max(1, scale / 2)) % bars.count]
    }

    /// Luma at column `x`, row `y`.
    func luma(_ x: Int, _ y: Int) -> UInt8 {
        switch kind {
        case .black:
            return 16
        case .bands:
            return Self.bandLuma(x, y, scale: scale)
        case .checkerboard:
            return (x / scale + y / scale) % 2 == 0 ? 220 : 60
        case .image:
            guard let image else { return 16 }
            guard x < image.width else { return Self.bandLuma(x, y, scale: scale) }
            return image.luma[min(y, image.height - 1) * image.width + max(x, 0)]
        }
    }

    /// Cb and Cr at chroma column `x`, chroma row `y` (half the luma resolution both ways).
    func chroma(_ x: Int, _ y: Int) -> (UInt8, UInt8) {
        switch kind {
        case .black:
            return (128, 128)
        case .bands:
            return Self.bandChroma(x, scale: scale)
        case .checkerboard:
            return (2 * x / scale + 2 * y / scale) % 2 == 0 ? (90, 200) : (170, 70)
        case .image:
            guard let image else { return (128, 128) }
            let chromaWidth = image.width / 2
            guard x < chromaWidth else { return Self.bandChroma(x, scale: scale) }
            let index = min(y, image.height / 2 - 1) * chromaWidth + max(x, 0)
            return (image.cb[index], image.cr[index])
        }
    }
}
