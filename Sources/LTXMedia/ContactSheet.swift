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

    /// The archive's sheet: tiles a row, rows, the box a tile fits in, and the poster's largest width, in pixels.
    public static let defaultColumns = 4, defaultRows = 2, defaultTileBox = 320, defaultPosterMaxWidth = 1280
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
        fromVideo path: String, columns: Int = defaultColumns, rows: Int = defaultRows, tileBox: Int = defaultTileBox,
        posterMaxWidth: Int = defaultPosterMaxWidth
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
        let frameCount = try frameCount(of: input, videoIndex: videoIndex, path: path)
        let builder = ContactSheetBuilder(frameCount: frameCount, columns: columns, rows: rows, tileBox: tileBox, posterMaxWidth: posterMaxWidth)
        do {
            let reader = try SequentialFrameReader(input: input, videoIndex: videoIndex, maxPixels: maxPixels)
            while let target = builder.nextTarget {
                guard let (frame, index) = try reader.frame(at: target) else { break }
                try builder.fillNext(frame, index: index)
            }
            guard let sheet = try builder.finish() else {
                throw MediaError(.damaged, path: path, reason: "no video frame decodes, so there is no contact sheet")
            }
            return sheet
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

    /// Largest picture a video stream may claim before we refuse to decode it (hostile-file guard).
    static let maxPixels = 100_000_000

    /// N: the container's frame count, else the video packets counted on a second pass over the file.
    static func frameCount(of input: InputContext, videoIndex: Int, path: String) throws(MediaError) -> Int {
        if let stated = input.describe(videoIndex).statedFrameCount { return stated }
        let counter = try MediaProbe.openMedia(path)
        guard videoIndex < counter.streamCount else { return 0 }
        return try VideoVerifier.countVideoPackets(counter, videoIndex: videoIndex, path: path).frames
    }

    /// The poster's size: the display aspect ratio (sample aspect applied), at most `maxWidth` wide, even sides.
    static func posterSize(of frame: Frame, maxWidth: Int) -> (Int, Int) {
        var displayWidth = Double(frame.width)
        if let sar = frame.sampleAspectRatio { displayWidth *= sar.value }
        let height = Double(frame.height)
        let width = min(Double(maxWidth), displayWidth)
        let scaledHeight = height * width / displayWidth
        func even(_ value: Double) -> Int { max(2, (CheckedArithmetic.integer(value / 2) ?? 1) * 2) }
        return (even(width), even(scaledHeight.rounded()))
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
