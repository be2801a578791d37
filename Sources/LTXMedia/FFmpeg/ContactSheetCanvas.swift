import CFFmpeg

/// Sole owner of the picture a contact sheet is laid out on (full-range YUV 4:2:0), of the tile picture each frame
/// is scaled into first (libswscale), and of that scaler. Tiles and gutters have even sides and offsets, so each
/// tile's chroma lines up with its luma.
final class ContactSheetCanvas {
    let width: Int, height: Int
    let tileWidth: Int, tileHeight: Int
    private let sheet: Frame
    private let tile: Frame
    private var scaler: (scaler: Scaler, width: Int, height: Int, format: AVPixelFormat)?

    /// Dark grey (full-range luma 24, no colour) behind and between the tiles.
    static let gutterLuma: UInt8 = 24

    init(width: Int, height: Int, tileWidth: Int, tileHeight: Int) throws(FFmpegError) {
        guard width % 2 == 0, height % 2 == 0, tileWidth % 2 == 0, tileHeight % 2 == 0,
              tileWidth > 0, tileHeight > 0, tileWidth <= width, tileHeight <= height else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "contact sheet \(width)x\(height) with tiles \(tileWidth)x\(tileHeight)")
        }
        self.width = width
        self.height = height
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        sheet = try Frame(width: width, height: height, pixelFormat: AV_PIX_FMT_YUVJ420P)
        tile = try Frame(width: tileWidth, height: tileHeight, pixelFormat: AV_PIX_FMT_YUVJ420P)
        fill(sheet, luma: Self.gutterLuma)
    }

    /// Scales `frame` to the tile size and places it with its top-left corner at (`x`, `y`) (even, inside the
    /// sheet). Returns the tile's detail (see `detail(of:)`).
    func place(_ frame: Frame, x: Int, y: Int) throws(FFmpegError) -> Double {
        guard x >= 0, y >= 0, x % 2 == 0, y % 2 == 0, x <= width - tileWidth, y <= height - tileHeight else {
            throw FFmpegError(code: ltx_averror(EINVAL), operation: "tile at \(x),\(y) outside the \(width)x\(height) sheet")
        }
        let detail = try detail(of: frame)
        try sheet.makeWritable()
        for plane in 0..<3 {
            guard let (source, sourceStride) = tile.plane(plane), let (target, targetStride) = sheet.plane(plane) else { continue }
            let shift = plane == 0 ? 0 : 1
            let rowBytes = tileWidth >> shift, left = x >> shift, top = y >> shift
            for row in 0..<(tileHeight >> shift) {
                memcpy(target + (top + row) * targetStride + left, source + row * sourceStride, rowBytes)
            }
        }
        return detail
    }

    /// How much detail `frame` shows at tile size: the mean absolute difference between neighbouring luma pixels,
    /// across and down (0 for a flat picture). Leaves the scaled picture in the tile buffer.
    func detail(of frame: Frame) throws(FFmpegError) -> Double {
        if let current = scaler, current.width == frame.width, current.height == frame.height, current.format == frame.pixelFormat {
            try current.scaler.scale(frame, into: tile)
        } else {
            let fresh = try Scaler(from: frame.width, frame.height, frame.pixelFormat, to: tileWidth, tileHeight, AV_PIX_FMT_YUVJ420P, flags: SWS_AREA)
            scaler = (fresh, frame.width, frame.height, frame.pixelFormat)
            try fresh.scale(frame, into: tile)
        }
        guard let (luma, stride) = tile.plane(0), tileWidth > 1, tileHeight > 1 else { return 0 }
        var total = 0
        for row in 0..<(tileHeight - 1) {
            let line = luma + row * stride, below = line + stride
            for column in 0..<(tileWidth - 1) {
                let here = Int(line[column])
                total += abs(Int(line[column + 1]) - here) + abs(Int(below[column]) - here)
            }
        }
        return Double(total) / Double(2 * (tileWidth - 1) * (tileHeight - 1))
    }

    /// The sheet as a baseline JPEG at quantiser `quality` (2 best … 31 smallest).
    func jpeg(quality: Int) throws(FFmpegError) -> [UInt8] {
        try ImageCodec.encodeJPEG(yuv: sheet, quality: quality)
    }

    private func fill(_ frame: Frame, luma: UInt8) {
        for plane in 0..<3 {
            guard let (base, stride) = frame.plane(plane) else { continue }
            let rows = plane == 0 ? frame.height : (frame.height + 1) / 2
            memset(base, Int32(plane == 0 ? luma : 128), stride * rows)
        }
    }
}
