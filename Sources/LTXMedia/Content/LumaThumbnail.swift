/// A small greyscale picture (full-range luma, row by row) that the content checks compare.
public struct LumaThumbnail: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// `width`×`height` luma values, 0 black … 255 white.
    public var pixels: [UInt8]

    /// A thumbnail from its pixels.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Thumbnails are this wide; the height keeps the video's aspect ratio.
    public static let standardWidth = 80

    /// The thumbnail size for a picture of `width`×`height`: 80 pixels wide (narrower pictures keep their
    /// width), at least 8 high, aspect ratio kept, at most 320 high.
    public static func size(forPicture width: Int, _ height: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { return (standardWidth, 45) }
        let w = min(standardWidth, width)
        let h = (Double(w) * Double(height) / Double(width)).rounded()
        return (w, Int(min(320, max(8, h.isFinite ? h : 8))))
    }

    /// Mean luma and its standard deviation ("spread").
    public var statistics: (mean: Double, spread: Double) {
        guard !pixels.isEmpty else { return (0, 0) }
        var sum = 0, squares = 0
        for p in pixels { let v = Int(p); sum += v; squares += v * v }
        let n = Double(pixels.count)
        let mean = Double(sum) / n
        return (mean, (max(0, Double(squares) / n - mean * mean)).squareRoot())
    }

    /// Mean absolute difference of luma with `other` (same size), 0 for equal pictures; infinity when sizes differ.
    public func meanDifference(from other: LumaThumbnail) -> Double {
        guard pixels.count == other.pixels.count, !pixels.isEmpty else { return .infinity }
        var total = 0
        for i in 0..<pixels.count { total += abs(Int(pixels[i]) - Int(other.pixels[i])) }
        return Double(total) / Double(pixels.count)
    }

    /// Mean structural similarity (SSIM, 8×8 windows every 4 pixels, the usual constants for 8-bit) with
    /// `other`, which must have the same size; 1 is identical, near 0 unrelated. Nil when the sizes differ.
    public func similarity(to other: LumaThumbnail) -> Double? {
        guard width == other.width, height == other.height, pixels.count == other.pixels.count, !pixels.isEmpty else { return nil }
        let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)
        let window = min(8, width, height)
        var total = 0.0, count = 0
        var y = 0
        while y + window <= height {
            var x = 0
            while x + window <= width {
                var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
                for row in y..<(y + window) {
                    for column in x..<(x + window) {
                        let a = Double(pixels[row * width + column]), b = Double(other.pixels[row * width + column])
                        sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b
                    }
                }
                let n = Double(window * window)
                let ma = sa / n, mb = sb / n
                let va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
                count += 1
                x += 4
            }
            y += 4
        }
        return count > 0 ? total / Double(count) : nil
    }
}
