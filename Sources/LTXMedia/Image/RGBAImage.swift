import Foundation

/// A packed 8-bit RGBA picture in memory, the working form for orientation, alpha and framing.
struct RGBAImage {
    var width: Int
    var height: Int
    var pixels: [UInt32]

    init(width: Int, height: Int, fill: UInt32 = 0xFF00_0000) {
        self.width = width
        self.height = height
        pixels = [UInt32](repeating: fill, count: width * height)
    }

    /// Applies EXIF orientation `orientation` (1–8), returning the upright picture.
    func oriented(_ orientation: Int) -> RGBAImage {
        guard orientation != 1, (2...8).contains(orientation) else { return self }
        let swaps = orientation >= 5
        var out = RGBAImage(width: swaps ? height : width, height: swaps ? width : height)
        let w = width, h = height
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<out.height {
                    for x in 0..<out.width {
                        let sx: Int, sy: Int
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        dst[y * out.width + x] = src[sy * w + sx]
                    }
                }
            }
        }
        return out
    }

    /// Composites every pixel over opaque white.
    mutating func flattenOverWhite() {
        pixels.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count {
                let p = buffer[i]
                let a = p >> 24
                if a == 255 { continue }
                let inverse = 255 - a
                let r = ((p & 0xFF) * a + 255 * inverse) / 255
                let g = (((p >> 8) & 0xFF) * a + 255 * inverse) / 255
                let b = (((p >> 16) & 0xFF) * a + 255 * inverse) / 255
                buffer[i] = 0xFF00_0000 | b << 16 | g << 8 | r
            }
        }
    }

    /// Copies the `targetWidth`×`targetHeight` window centred on this picture (crop), or centres
    /// this picture on a black canvas of that size (pad), whichever the sizes call for.
    func framed(width targetWidth: Int, height targetHeight: Int) -> RGBAImage {
        if targetWidth == width && targetHeight == height { return self }
        var out = RGBAImage(width: targetWidth, height: targetHeight)
        let copyWidth = min(width, targetWidth)
        let copyHeight = min(height, targetHeight)
        let srcX = max(0, (width - targetWidth) / 2), srcY = max(0, (height - targetHeight) / 2)
        let dstX = max(0, (targetWidth - width) / 2), dstY = max(0, (targetHeight - height) / 2)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for row in 0..<copyHeight {
                    memcpy(d + (dstY + row) * targetWidth + dstX, s + (srcY + row) * width + srcX, copyWidth * 4)
                }
            }
        }
        return out
    }
}
