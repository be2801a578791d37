import Foundation

/// Checks a start image against the API's rules and, when it does not pass, writes a conforming JPEG.
public enum ImagePreflight {
    /// JPEG quantisers tried in turn until the file fits the size limit (2 is visually lossless).
    static let qualitySteps = [2, 3, 5, 8, 12, 17, 23, 31]

    /// Preflights `path` for `target`. With `outputDirectory`, a needed fix is written there as
    /// `STEM.jpg` (`STEM.preflight.jpg` when that would be the input itself); the input is never touched.
    public static func run(_ path: String, target requested: ImageTarget, outputDirectory: String?) throws(MediaError) -> PreflightReport {
        var target = requested
        target.fit = requested.fit.fitting
        let size = try InputFile.check(path)
        let mapped: Data
        do {
            mapped = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw MediaError(.unreadable, path: path, reason: "cannot read file (\(error.localizedDescription))")
        }
        let header = mapped.withUnsafeBytes { ImageHeader.read($0) }
        guard let header else {
            throw MediaError(.notMedia, path: path, reason: "not an image: content is not JPEG, PNG, GIF, WebP, BMP or TIFF")
        }
        if let width = header.width, let height = header.height {
            if width <= 0 || height <= 0 {
                throw MediaError(.damaged, path: path, reason: "\(header.format.rawValue.uppercased()) header claims an empty picture (\(width)x\(height))")
            }
            let pixels = CheckedArithmetic.product(width, height)
            if pixels.map({ $0 > target.maxPixels }) ?? true {
                let megapixels = String(format: "%.0f", Double(width) * Double(height) / 1_000_000)
                throw MediaError(.decompressionBomb, path: path, reason: "\(header.format.rawValue.uppercased()) header claims \(width)x\(height) (\(megapixels) megapixels), over the \(target.maxPixels / 1_000_000)-megapixel limit; refusing to decode")
            }
        }
        if let damage = header.structuralDamage {
            throw MediaError(.damaged, path: path, reason: "damaged image: \(damage)")
        }

        let plan = Plan(header: header, size: size, target: target)
        var decodedSize: (Int, Int)? = nil
        var hasAlpha = false
        let budget = CheckedArithmetic.product(target.width, target.height) ?? target.maxPixels
        var decoded = try ImageCodec.decodeFirstPicture(path, maxPixels: target.maxPixels, outputBudget: budget) { w, h in
            decodedSize = (w, h)
            return plan.scaleStep(storedWidth: w, storedHeight: h)
        }
        hasAlpha = decoded.hasAlpha
        let (storedWidth, storedHeight) = decodedSize ?? (decoded.sourceWidth, decoded.sourceHeight)
        let display = header.orientation >= 5 ? (storedHeight, storedWidth) : (storedWidth, storedHeight)
        let inputDescription = describe(header.format, display.0, display.1, orientation: header.orientation, alpha: hasAlpha, bytes: size)

        let decision = plan.decide(displayWidth: display.0, displayHeight: display.1, hasAlpha: hasAlpha)
        var report = PreflightReport(
            kind: "image", input: path, detectedFormat: header.format.rawValue, inputSize: size,
            inputDescription: inputDescription, passedThrough: decision.passThrough, actions: decision.actions,
            output: nil, outputSize: nil, outputDescription: nil, outputContentType: nil
        )
        if decision.passThrough {
            report.output = path
            report.outputSize = size
            report.outputDescription = inputDescription
            report.outputContentType = contentType(header.format)
            return report
        }
        guard let outputDirectory else { return report }

        var image = decoded.image.oriented(header.orientation)
        decoded.image = RGBAImage(width: 0, height: 0)
        if hasAlpha { image.flattenOverWhite() }
        let (canvasWidth, canvasHeight) = plan.canvasSize(displayScaledWidth: image.width, displayScaledHeight: image.height)
        image = image.framed(width: canvasWidth, height: canvasHeight)

        var bytes: [UInt8] = []
        var usedQuality = qualitySteps[0]
        for quality in qualitySteps {
            do { bytes = try ImageCodec.encodeJPEG(image, quality: quality) } catch {
                throw MediaError(.writeFailed, path: path, reason: "JPEG encoding failed (\(error.description))")
            }
            usedQuality = quality
            if Int64(bytes.count) <= target.maxBytes { break }
        }
        guard Int64(bytes.count) <= target.maxBytes else {
            throw MediaError(.tooLarge, path: path, reason: "even at the lowest JPEG quality the image is \(bytes.count) bytes, over \(target.maxBytes)")
        }
        if usedQuality != qualitySteps[0] {
            report.actions.append(PreflightAction(.recompressed, "JPEG quality lowered to quantiser \(usedQuality) to stay within \(target.maxBytes / 1_000_000) MB"))
        }
        let outputPath = try OutputNaming.path(for: path, directory: outputDirectory, extension: "jpg")
        try OutputNaming.write(bytes, to: outputPath)
        report.output = outputPath
        report.outputSize = Int64(bytes.count)
        report.outputDescription = describe(.jpeg, canvasWidth, canvasHeight, orientation: 1, alpha: false, bytes: Int64(bytes.count))
        report.outputContentType = "image/jpeg"
        return report
    }

    static func contentType(_ format: ImageHeader.Format) -> String {
        switch format {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .gif: return "image/gif"
        case .webp: return "image/webp"
        case .bmp: return "image/bmp"
        case .tiff: return "image/tiff"
        }
    }

    static func describe(_ format: ImageHeader.Format, _ width: Int, _ height: Int, orientation: Int, alpha: Bool, bytes: Int64) -> String {
        var parts = ["\(format.rawValue.uppercased()) \(width)x\(height)"]
        if orientation != 1 { parts.append("EXIF orientation \(orientation)") }
        if alpha { parts.append("alpha") }
        parts.append(ByteCount.text(bytes))
        return parts.joined(separator: ", ")
    }

    /// The decisions for one image: what must change and the sizes each step works at.
    struct Plan {
        let header: ImageHeader
        let size: Int64
        let target: ImageTarget

        struct Decision {
            var passThrough: Bool
            var actions: [PreflightAction]
        }

        func aspectMatches(_ width: Int, _ height: Int) -> Bool {
            let have = Double(width) / Double(height)
            let want = Double(target.width) / Double(target.height)
            return abs(have - want) / want <= target.aspectTolerance
        }

        func decide(displayWidth: Int, displayHeight: Int, hasAlpha: Bool) -> Decision {
            var reasons: [String] = []
            if !target.acceptedFormats.contains(header.format) {
                let names = target.acceptedFormats.map { $0.rawValue.uppercased() }.sorted().joined(separator: ", ")
                reasons.append("\(header.format.rawValue.uppercased()) is not accepted by the API (\(names) only)")
            }
            if size > target.maxBytes { reasons.append("file is \(ByteCount.text(size)), over the \(ByteCount.text(target.maxBytes)) limit") }
            if header.orientation != 1 { reasons.append("EXIF orientation \(header.orientation) must be applied to the pixels") }
            let aspectOK = target.fit == .keep || aspectMatches(displayWidth, displayHeight)
            if !aspectOK { reasons.append("aspect \(displayWidth)x\(displayHeight) does not match the target \(target.width)x\(target.height)") }
            if target.forceTranscode && reasons.isEmpty { reasons.append("the API refused the original once, so it is re-encoded") }
            if reasons.isEmpty {
                return Decision(passThrough: true, actions: [PreflightAction(.passedThrough, "\(header.format.rawValue.uppercased()) \(displayWidth)x\(displayHeight), \(ByteCount.text(size)): accepted by the API as it is")])
            }
            var actions = [PreflightAction(.transcoded, "re-encoded as JPEG: " + reasons.joined(separator: "; "))]
            if header.orientation != 1 { actions.append(PreflightAction(.rotated, "applied EXIF orientation \(header.orientation) so the picture stands as the camera saw it")) }
            if hasAlpha { actions.append(PreflightAction(.flattened, "transparent pixels composited over white (JPEG has no alpha)")) }
            if !aspectMatches(displayWidth, displayHeight) && target.fit != .keep {
                let from = "from aspect \(ratioText(displayWidth, displayHeight)) (\(displayWidth)x\(displayHeight)) to \(ratioText(target.width, target.height)) (\(target.width)x\(target.height))"
                if target.fit == .pad {
                    let picture = displayScaledSize(displayWidth, displayHeight)
                    let bars = 1 - Double(picture.0) * Double(picture.1) / (Double(target.width) * Double(target.height))
                    actions.append(PreflightAction(.padded, "letterboxed with black bars \(from): \(PreflightAction.percentText(bars)) of the frame sent is bars", pictureShare: bars))
                } else {
                    let window = cropWindow(displayWidth: displayWidth, displayHeight: displayHeight)
                    let lost = 1 - Double(window.0) * Double(window.1) / (Double(displayWidth) * Double(displayHeight))
                    actions.append(PreflightAction(.cropped, "centre-cropped \(from): \(PreflightAction.percentText(lost)) of the picture cut away (\(window.0)x\(window.1) of \(displayWidth)x\(displayHeight) kept)", pictureShare: lost))
                }
            }
            let canvas = canvasSize(forDisplay: displayWidth, displayHeight)
            if canvas.0 != displayWidth || canvas.1 != displayHeight {
                actions.append(PreflightAction(.resized, "scaled from \(displayWidth)x\(displayHeight) to \(canvas.0)x\(canvas.1)"))
            }
            return Decision(passThrough: false, actions: actions)
        }

        private func scaled(_ side: Int, _ factor: Double) -> Int? {
            CheckedArithmetic.integer((Double(side) * factor).rounded())
        }

        /// The upright picture's size after scaling to cover (crop) or fit (pad, keep) the target.
        func displayScaledSize(_ width: Int, _ height: Int) -> (Int, Int) {
            let sx = Double(target.width) / Double(width)
            let sy = Double(target.height) / Double(height)
            switch target.fit {
            case .crop, .auto:
                let s = max(sx, sy)
                return (max(target.width, scaled(width, s) ?? target.width), max(target.height, scaled(height, s) ?? target.height))
            case .pad, .keep:
                let s = min(sx, sy)
                return (max(1, min(target.width, scaled(width, s) ?? 1)), max(1, min(target.height, scaled(height, s) ?? 1)))
            }
        }

        /// The window of the stored (not yet rotated) picture to keep and the size to scale it to.
        ///
        /// For `crop` the window is cut in source space first, so the scaler never makes more than the
        /// target's pixels (scaling a 3x200 strip to cover 1920x1080 first would make 1920x128000).
        func scaleStep(storedWidth: Int, storedHeight: Int) -> ImageCodec.ScaleStep {
            let swaps = header.orientation >= 5
            guard target.fit == .crop else {
                let (w, h) = storedScaledSize(storedWidth: storedWidth, storedHeight: storedHeight)
                return ImageCodec.ScaleStep(storedWidth: storedWidth, storedHeight: storedHeight, width: w, height: h)
            }
            let display = swaps ? (storedHeight, storedWidth) : (storedWidth, storedHeight)
            let window = cropWindow(displayWidth: display.0, displayHeight: display.1)
            let stored = swaps ? (window.1, window.0) : window
            let output = swaps ? (target.height, target.width) : (target.width, target.height)
            return ImageCodec.ScaleStep(
                cropX: (storedWidth - stored.0) / 2, cropY: (storedHeight - stored.1) / 2,
                cropWidth: stored.0, cropHeight: stored.1, width: output.0, height: output.1
            )
        }

        /// The largest centred window of the upright picture with the target's aspect ratio.
        func cropWindow(displayWidth: Int, displayHeight: Int) -> (Int, Int) {
            let want = Double(target.width) / Double(target.height)
            if Double(displayWidth) / Double(displayHeight) > want {
                let width = CheckedArithmetic.integer((Double(displayHeight) * want).rounded()) ?? displayWidth
                return (min(displayWidth, max(1, width)), displayHeight)
            }
            let height = CheckedArithmetic.integer((Double(displayWidth) / want).rounded()) ?? displayHeight
            return (displayWidth, min(displayHeight, max(1, height)))
        }

        /// The size to scale the stored (not yet rotated) picture to.
        func storedScaledSize(storedWidth: Int, storedHeight: Int) -> (Int, Int) {
            let swaps = header.orientation >= 5
            let display = swaps ? (storedHeight, storedWidth) : (storedWidth, storedHeight)
            let scaled = displayScaledSize(display.0, display.1)
            return swaps ? (scaled.1, scaled.0) : scaled
        }

        func canvasSize(forDisplay width: Int, _ height: Int) -> (Int, Int) {
            let scaled = displayScaledSize(width, height)
            return canvasSize(displayScaledWidth: scaled.0, displayScaledHeight: scaled.1)
        }

        func canvasSize(displayScaledWidth: Int, displayScaledHeight: Int) -> (Int, Int) {
            target.fit == .keep ? (displayScaledWidth, displayScaledHeight) : (target.width, target.height)
        }

        func ratioText(_ width: Int, _ height: Int) -> String {
            String(format: "%.3f", Double(width) / Double(height))
        }
    }
}

/// Human-readable byte counts.
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000 { return String(format: "%.1f kB", Double(bytes) / 1_000) }
        return "\(bytes) bytes"
    }
}

/// Where preflight writes its copies, and how.
enum OutputNaming {
    /// `DIR/STEM.EXT`, or `DIR/STEM.preflight.EXT` when that is the input file itself.
    static func path(for input: String, directory: String, extension ext: String) throws(MediaError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MediaError(.writeFailed, path: directory, reason: "cannot create output folder (\(error.localizedDescription))")
        }
        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let candidate = URL(fileURLWithPath: directory).appendingPathComponent("\(stem).\(ext)").path
        if sameFile(candidate, input) {
            return URL(fileURLWithPath: directory).appendingPathComponent("\(stem).preflight.\(ext)").path
        }
        return candidate
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Writes `bytes` to `path` through a temporary file and a rename.
    static func write(_ bytes: [UInt8], to path: String) throws(MediaError) {
        let temporary = AtomicFile.temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw MediaError(.writeFailed, path: path, reason: "cannot write output file")
        }
        try AtomicFile.rename(temporary, to: path)
    }
}
