/// Lays out a contact sheet from decoded frames offered in presentation order, whoever decodes them: the sheet's
/// own seeking reader (`ContactSheet.make`) or the deep verifier's pass over every frame (`VideoVerifier`), so
/// both give the same sheet and the same poster. Frames it does not want cost it an index comparison.
final class ContactSheetBuilder {
    let columns: Int, rows: Int, tileBox: Int, posterMaxWidth: Int
    /// The frame number of the middle frame: a poster candidate even when no tile shows it.
    let middle: Int
    /// What is still wanted, in ascending frame order: a tile's slot (nil: the middle frame, for the poster only) and its frame number.
    private var steps: [(slot: Int?, target: Int)]
    private var next = 0
    private var canvas: ContactSheetCanvas?
    /// Candidates for the poster: the frames within `posterTolerance` of the most detailed so far (references, no copies).
    private var candidates: [(frame: Frame, index: Int, detail: Double)] = []
    private var mostDetail = -1.0
    private var shown: [Int] = []
    private var details: [Double] = []
    /// The latest frame offered and its number: the tiles past the end of a short stream show it.
    private var latest: (frame: Frame, index: Int)?

    /// A builder for a sheet of `columns`×`rows` tiles spread evenly over `frameCount` frames (first and last included).
    init(
        frameCount: Int, columns: Int = ContactSheet.defaultColumns, rows: Int = ContactSheet.defaultRows,
        tileBox: Int = ContactSheet.defaultTileBox, posterMaxWidth: Int = ContactSheet.defaultPosterMaxWidth
    ) {
        self.columns = columns
        self.rows = rows
        self.tileBox = tileBox
        self.posterMaxWidth = posterMaxWidth
        let count = columns * rows
        let last = max(frameCount - 1, 0)
        let targets = (0..<count).map { count == 1 ? last / 2 : last * $0 / (count - 1) }
        let middle = last / 2
        self.middle = middle
        var steps = targets.enumerated().map { (slot: Optional($0.offset), target: $0.element) }
        if !targets.contains(middle), let at = steps.firstIndex(where: { $0.target > middle }) {
            steps.insert((nil, middle), at: at)
        }
        self.steps = steps
    }

    /// The next frame number wanted, nil once every tile is filled.
    var nextTarget: Int? { next < steps.count ? steps[next].target : nil }

    /// Takes frame number `index` (the next frame of a pass over every frame) for every wanted frame number at or
    /// below it, and keeps it as the latest frame.
    func offer(_ frame: Frame, index: Int) throws(FFmpegError) {
        latest = (try frame.reference(), index)
        while next < steps.count, steps[next].target <= index {
            try take(frame, index: index, slot: steps[next].slot)
            next += 1
        }
    }

    /// Takes `frame` (frame number `index`, the first at or past `nextTarget`, or the last that decodes before it)
    /// for the next wanted frame number only.
    func fillNext(_ frame: Frame, index: Int) throws(FFmpegError) {
        guard next < steps.count else { return }
        try take(frame, index: index, slot: steps[next].slot)
        next += 1
    }

    /// Fills the tiles past the end of the stream with the latest frame offered, then encodes the sheet and the
    /// poster. Throws `FFmpegError` when scaling or encoding fails; returns nil when no frame was offered.
    func finish() throws(FFmpegError) -> ContactSheet? {
        if let latest {
            while next < steps.count {
                try take(latest.frame, index: latest.index, slot: steps[next].slot)
                next += 1
            }
        }
        // Among the candidates about as detailed as the best, the one nearest the middle frame.
        guard let canvas, let chosen = candidates.min(by: { abs($0.index - middle) < abs($1.index - middle) }) else { return nil }
        let (posterWidth, posterHeight) = ContactSheet.posterSize(of: chosen.frame, maxWidth: posterMaxWidth)
        let poster = try ImageCodec.encodeJPEG(chosen.frame, width: posterWidth, height: posterHeight, quality: 3)
        let count = columns * rows
        return ContactSheet(
            jpeg: try canvas.jpeg(quality: 4), width: canvas.width, height: canvas.height,
            tileWidth: canvas.tileWidth, tileHeight: canvas.tileHeight,
            frameIndices: shown + Array(repeating: shown.last ?? 0, count: count - shown.count),
            tileDetails: details + Array(repeating: details.last ?? 0, count: count - details.count),
            poster: poster, posterFrameIndex: chosen.index)
    }

    private func take(_ frame: Frame, index: Int, slot: Int?) throws(FFmpegError) {
        let canvas: ContactSheetCanvas
        if let existing = self.canvas {
            canvas = existing
        } else {
            let tile = ContactSheet.tileSize(of: frame, box: tileBox)
            canvas = try ContactSheetCanvas(
                width: columns * tile.width + (columns + 1) * ContactSheet.gutter,
                height: rows * tile.height + (rows + 1) * ContactSheet.gutter,
                tileWidth: tile.width, tileHeight: tile.height)
            self.canvas = canvas
        }
        let detail: Double
        if let slot {
            let x = ContactSheet.gutter + (slot % columns) * (canvas.tileWidth + ContactSheet.gutter)
            let y = ContactSheet.gutter + (slot / columns) * (canvas.tileHeight + ContactSheet.gutter)
            detail = try canvas.place(frame, x: x, y: y)
            shown.append(index)
            details.append(detail)
        } else {
            detail = try canvas.detail(of: frame)
        }
        mostDetail = max(mostDetail, detail)
        candidates.removeAll { $0.detail < mostDetail * ContactSheet.posterTolerance }
        if detail >= mostDetail * ContactSheet.posterTolerance, !candidates.contains(where: { $0.index == index }) {
            candidates.append((try frame.reference(), index, detail))
        }
    }
}
