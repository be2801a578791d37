/// A video's contact sheet (a grid of frames spread evenly through it, first and last included) and its poster.
public struct ContactSheet: Sendable {
    /// The sheet as a JPEG.
    public var jpeg: [UInt8]
    /// The sheet's size in pixels.
    public var width: Int, height: Int
    /// One tile's size in pixels (the video's display aspect ratio inside `tileBox`).
    public var tileWidth: Int, tileHeight: Int
    /// The frame number (0-based, presentation order) each tile shows, row by row.
    public var frameIndices: [Int]
    /// Each tile's detail: the mean absolute difference between neighbouring luma pixels (0 … 255), row by row.
    public var tileDetails: [Double]
    /// The poster: the frame with the most detail among the tiles' and the middle one, at up to `posterMaxWidth` pixels wide, as a JPEG.
    public var poster: [UInt8]
    /// The frame number the poster shows.
    public var posterFrameIndex: Int

    /// Space between tiles and around them, in pixels.
    public static let gutter = 4
    /// A poster candidate with at least this share of the best candidate's detail counts as equally detailed.
    static let posterTolerance = 0.85

    /// Decodes `columns × rows` frames of the video at `path`, evenly spaced from the first frame to the last
    /// (exact frames: it seeks to the keyframe before each one and decodes forward, never decoding a frame twice),
    /// scales each into a tile that fits `tileBox`×`tileBox` with libswscale, and encodes the grid and the poster
    /// as JPEGs. A file shorter than its index says gives its last decodable frame for the tiles past its end.
    ///
    /// The poster is the candidate with the most detail (mean luma difference between neighbouring pixels of its
    /// tile) rather than always the middle frame: a middle frame can be a fade, a blur or a transition, and videos
    /// from different start images often share their middle stretch (a camera move away from the picture), so
    /// their middle frames look alike while their most detailed frames do not. Candidates within 15 % of the best
    /// count as equal and the one nearest the middle wins: the detail of ordinary moving pictures wanders by about
    /// 10 % from frame to frame (the test pattern: 2.22–2.49), so such a video keeps its middle frame, while a
    /// fade, a blur or a flat stretch loses to a clearly sharper frame.
    ///
    /// Throws `MediaError` when the file is missing, is not a video, or no frame of it decodes.
    public static func make(
        fromVideo path: String, columns: Int = 4, rows: Int = 2, tileBox: Int = 320, posterMaxWidth: Int = 1280
    ) throws(MediaError) -> ContactSheet {
        guard (1...16).contains(columns), (1...16).contains(rows), (16...1920).contains(tileBox), posterMaxWidth >= 2 else {
            throw MediaError(.unsupportedFormat, path: path, reason: "contact sheet of \(columns)x\(rows) tiles in a \(tileBox)-pixel box is outside 1–16 tiles a side and 16–1920 pixels")
        }
        _ = try InputFile.check(path)
        let input = try MediaProbe.openVideo(path)
        let videoIndex: Int
        do { videoIndex = try VideoVerifier.videoStream(of: input, path: path) } catch {
            if error.kind == .noVideo {
                throw MediaError(.noVideo, path: path, reason: "has no video stream to make a contact sheet of (container \(input.formatName))")
            }
            throw error
        }
        let video = input.describe(videoIndex)
        guard video.width > 0, video.height > 0 else {
            throw MediaError(.notMedia, path: path, reason: "not a video FFmpeg can read (no picture size; container \(input.formatName))")
        }
        let frameCount = try PosterFrame.frameCount(of: input, videoIndex: videoIndex, path: path)
        let count = columns * rows
        let last = max(frameCount - 1, 0)
        let targets = (0..<count).map { count == 1 ? last / 2 : last * $0 / (count - 1) }

        do {
            let reader = try SequentialFrameReader(input: input, videoIndex: videoIndex, maxPixels: PosterFrame.maxPixels)
            var canvas: ContactSheetCanvas?
            // Candidates for the poster: the frames within `posterTolerance` of the most detailed so far (references, no copies).
            var candidates: [(frame: Frame, index: Int, detail: Double)] = []
            var mostDetail = -1.0
            var shown: [Int] = []
            var details: [Double] = []
            // The middle frame is a candidate too (decoded on the way between two tiles), so a video whose frames
            // are all alike keeps its middle frame as before.
            let middle = last / 2
            var steps = targets.enumerated().map { (slot: Optional($0.offset), target: $0.element) }
            if !targets.contains(middle), let at = steps.firstIndex(where: { $0.target > middle }) {
                steps.insert((nil, middle), at: at)
            }
            for step in steps {
                guard let (frame, index) = try reader.frame(at: step.target) else { break }
                if canvas == nil {
                    let tile = tileSize(of: frame, box: tileBox)
                    canvas = try ContactSheetCanvas(
                        width: columns * tile.width + (columns + 1) * gutter, height: rows * tile.height + (rows + 1) * gutter,
                        tileWidth: tile.width, tileHeight: tile.height)
                }
                guard let canvas else { break }
                let detail: Double
                if let slot = step.slot {
                    let x = gutter + (slot % columns) * (canvas.tileWidth + gutter)
                    let y = gutter + (slot / columns) * (canvas.tileHeight + gutter)
                    detail = try canvas.place(frame, x: x, y: y)
                    shown.append(index)
                    details.append(detail)
                } else {
                    detail = try canvas.detail(of: frame)
                }
                mostDetail = max(mostDetail, detail)
                candidates.removeAll { $0.detail < mostDetail * posterTolerance }
                if detail >= mostDetail * posterTolerance, !candidates.contains(where: { $0.index == index }) {
                    candidates.append((try frame.reference(), index, detail))
                }
            }
            // Among the candidates about as detailed as the best, the one nearest the middle frame.
            guard let canvas, let chosen = candidates.min(by: { abs($0.index - middle) < abs($1.index - middle) }) else {
                throw MediaError(.damaged, path: path, reason: "no video frame decodes, so there is no contact sheet")
            }
            let posterFrame = chosen.frame, posterIndex = chosen.index
            let (posterWidth, posterHeight) = PosterFrame.posterSize(of: posterFrame, maxWidth: posterMaxWidth)
            let poster = try ImageCodec.encodeJPEG(posterFrame, width: posterWidth, height: posterHeight, quality: 3)
            return ContactSheet(
                jpeg: try canvas.jpeg(quality: 4), width: canvas.width, height: canvas.height,
                tileWidth: canvas.tileWidth, tileHeight: canvas.tileHeight,
                frameIndices: shown + Array(repeating: shown.last ?? 0, count: count - shown.count),
                tileDetails: details + Array(repeating: details.last ?? 0, count: count - details.count),
                poster: poster, posterFrameIndex: posterIndex)
        } catch let error as FFmpegError {
            if error.operation.contains("not available") {
                throw MediaError(.encoderMissing, path: path, reason: error.description)
            }
            throw MediaError(.damaged, path: path, reason: "cannot make a contact sheet (\(error.description))")
        } catch let error as MediaError {
            throw error
        } catch {
            throw MediaError(.damaged, path: path, reason: "cannot make a contact sheet (\(error))")
        }
    }

    /// A tile's size: the frame's display aspect ratio (sample aspect applied) fitted inside `box`×`box`, even sides.
    static func tileSize(of frame: Frame, box: Int) -> (width: Int, height: Int) {
        var displayWidth = Double(frame.width)
        if let sar = frame.sampleAspectRatio, sar.value > 0, sar.value.isFinite { displayWidth *= sar.value }
        let displayHeight = Double(frame.height)
        let scale = min(Double(box) / displayWidth, Double(box) / displayHeight)
        func even(_ value: Double) -> Int { max(2, (CheckedArithmetic.integer(value / 2) ?? 1) * 2) }
        return (even(displayWidth * scale), even(displayHeight * scale))
    }
}
