import Foundation
import LTXMedia

/// Where an input comes from: a local file (preflighted, then uploaded) or an http(s) URL (passed through).
public enum InputSource: Sendable, Equatable {
    /// A local file.
    case file(String)
    /// An http(s) URL.
    case url(String)

    /// Parses a command-line value: http(s) URLs as URLs, other schemes refused, anything else a path.
    public static func parse(_ text: String) -> Result<InputSource, APIError> {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard URL(string: text)?.host != nil else { return .failure(.rejectedLocally("\(text): not a valid URL")) }
            return .success(.url(text))
        }
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), text[..<colon].count > 1, text.contains("://") {
            return .failure(.rejectedLocally("\(text): only http and https URLs are accepted"))
        }
        return .success(.file(text))
    }
}

/// What `ltxpipe generate` was asked for.
public struct GenerationOrder: Sendable {
    /// The request's parameters.
    public var parameters: GenerationParameters
    /// Start image, for image-to-video.
    public var image: InputSource?
    /// Soundtrack, for audio-to-video.
    public var audio: InputSource?
    /// Last frame, for image-to-video on models that take one (ltx-v2).
    public var lastFrame: InputSource?
    /// How images of another aspect are fitted.
    public var fit: FitMode
    /// Folder for preflighted copies and the video.
    public var outputDirectory: String
    /// Decode every frame when verifying.
    public var deepVerify: Bool
    /// Allowed |frames/fps − duration|.
    public var durationTolerance: Double
    /// Use the protocol's sync endpoint (the response body is the video).
    public var sync: Bool

    /// Creates an order.
    public init(parameters: GenerationParameters, image: InputSource? = nil, audio: InputSource? = nil, lastFrame: InputSource? = nil,
                fit: FitMode = .crop, outputDirectory: String, deepVerify: Bool = false, durationTolerance: Double = 0.5, sync: Bool = false) {
        self.parameters = parameters
        self.image = image
        self.audio = audio
        self.lastFrame = lastFrame
        self.sync = sync
        self.fit = fit
        self.outputDirectory = outputDirectory
        self.deepVerify = deepVerify
        self.durationTolerance = durationTolerance
    }
}

/// What a finished `generate` produced.
public struct GenerationOutcome: Sendable, Codable {
    /// The API's generation id.
    public var generationID: String
    /// The downloaded video.
    public var video: DownloadedFile
    /// What the API charged.
    public var cost: Double?
    /// The price-table estimate made before submitting.
    public var estimatedCost: Double?
    /// The verification of the video against the request.
    public var verification: VerificationReport
    /// Preflight reports of the inputs.
    public var preflight: [PreflightReport]
    /// The final status response.
    public var status: GenerationStatus
}

/// Why a `generate` run stopped.
public enum GenerationRunError: Error, CustomStringConvertible, Sendable {
    /// An input could not be used.
    case input(MediaError)
    /// The API (or the catalog) refused or failed.
    case api(APIError)

    /// One line.
    public var description: String {
        switch self {
        case .input(let error): return error.description
        case .api(let error): return error.description
        }
    }

    /// PRODUCT.md's exit code.
    public var exitCode: Int32 {
        switch self {
        case .input: return 2
        case .api(let error): return error.exitCode
        }
    }
}

/// One generation end to end: preflight → submit → wait → download → verify.
public struct GenerationRun: Sendable {
    /// The API client.
    public let client: GenerationClient

    /// A run on `client`.
    public init(client: GenerationClient) { self.client = client }

    /// Runs `order`. A 413 re-compresses and a 422 transcodes the inputs once (generations dialect).
    public func run(_ order: GenerationOrder) async throws(GenerationRunError) -> GenerationOutcome {
        let parameters = order.parameters
        if let violation = client.violations(parameters).first { throw .api(.rejectedLocally(violation.message)) }
        if parameters.mode == .imageToVideo && order.image == nil { throw .api(.rejectedLocally("image-to-video needs --image")) }
        if parameters.mode == .audioToVideo && order.audio == nil { throw .api(.rejectedLocally("audio-to-video needs --audio")) }
        if let violation = client.violations(parameters, inputs: GenerationInputs(lastFrame: order.lastFrame.map { _ in .url("x") })).first {
            throw .api(.rejectedLocally(violation.message))
        }

        if order.sync && client.dialect.name != "ltx-v2" { throw .api(.rejectedLocally("the \(client.dialect.name) protocol has no sync endpoint")) }

        var strictness = PreflightStrictness.normal
        var status: GenerationStatus
        var reports: [PreflightReport]
        var synced: DownloadedFile? = nil
        while true {
            let prepared = try await prepareInputs(order, strictness: strictness)
            reports = prepared.reports
            do {
                if order.sync {
                    let path = URL(fileURLWithPath: order.outputDirectory).appendingPathComponent("sync-\(UInt32.random(in: 0...UInt32.max)).mp4").path
                    let result = try await client.generateSync(parameters, inputs: prepared.inputs, to: path)
                    synced = result.file
                    status = GenerationStatus(id: "sync-" + (result.requestID ?? "unknown"), state: .completed, requestID: result.requestID)
                } else {
                    status = try await client.submit(parameters, inputs: prepared.inputs)
                }
                break
            } catch {
                switch error {
                case .fileTooLarge, .unsupportedFile:
                    guard strictness == .normal else { throw .api(error) }
                    strictness = .forceTranscode
                default:
                    throw .api(error)
                }
            }
        }
        let video: DownloadedFile
        let videoPath: String
        if let synced {
            video = synced
            videoPath = synced.path
        } else {
            let submittedAt = client.clock.now()
            if status.state == .failed { throw .api(.generationFailed(status.failure ?? "no reason given")) }
            if !status.state.isTerminal {
                do { status = try await client.waitForCompletion(status, parameters: parameters, submittedAt: submittedAt) } catch { throw .api(error) }
            }
            videoPath = URL(fileURLWithPath: order.outputDirectory).appendingPathComponent("\(safeName(status.id)).mp4").path
            do { video = try await client.download(status, to: videoPath) } catch { throw .api(error) }
        }

        let request = PreflightTargets.expectedVideo(
            parameters, catalog: client.dialect.catalog, audioSeconds: reports.first { $0.kind == "audio" }?.outputDuration,
            tolerance: order.durationTolerance, deep: order.deepVerify
        )
        let verification: VerificationReport
        do {
            verification = try await BlockingWork.run { () throws(MediaError) -> VerificationReport in
                try VideoVerifier.verify(videoPath, against: request)
            }
        } catch {
            throw .input(error)
        }
        return GenerationOutcome(
            generationID: status.id, video: video, cost: status.cost, estimatedCost: client.estimatedCost(parameters),
            verification: verification, preflight: reports, status: status
        )
    }

    private enum PreflightStrictness { case normal, forceTranscode }

    private func prepareInputs(_ order: GenerationOrder, strictness: PreflightStrictness) async throws(GenerationRunError) -> (inputs: GenerationInputs, reports: [PreflightReport]) {
        var inputs = GenerationInputs()
        var reports: [PreflightReport] = []
        let catalog = client.dialect.catalog
        let preflightDirectory = URL(fileURLWithPath: order.outputDirectory).appendingPathComponent("preflight").path
        let force = strictness == .forceTranscode
        if let image = order.image {
            switch image {
            case .url(let link): inputs.image = .url(link)
            case .file(let path):
                let imageTarget = PreflightTargets.image(order.parameters, catalog: catalog, fit: order.fit, force: force)
                let report: PreflightReport
                do {
                    report = try await BlockingWork.run { () throws(MediaError) -> PreflightReport in
                        try ImagePreflight.run(path, target: imageTarget, outputDirectory: preflightDirectory)
                    }
                } catch { throw .input(error) }
                reports.append(report)
                guard let output = report.output else { throw .input(MediaError(.unsupportedFormat, path: path, reason: "preflight wrote no usable copy")) }
                inputs.image = .file(path: output, contentType: report.outputContentType ?? "image/jpeg")
            }
        }
        if let lastFrame = order.lastFrame {
            switch lastFrame {
            case .url(let link): inputs.lastFrame = .url(link)
            case .file(let path):
                let target = PreflightTargets.image(order.parameters, catalog: catalog, fit: order.fit, force: force)
                let report: PreflightReport
                do {
                    report = try await BlockingWork.run { () throws(MediaError) -> PreflightReport in
                        try ImagePreflight.run(path, target: target, outputDirectory: preflightDirectory + "/last-frame")
                    }
                } catch { throw .input(error) }
                reports.append(report)
                guard let output = report.output else { throw .input(MediaError(.unsupportedFormat, path: path, reason: "preflight wrote no usable copy")) }
                inputs.lastFrame = .file(path: output, contentType: report.outputContentType ?? "image/jpeg")
            }
        }
        if let audio = order.audio {
            switch audio {
            case .url(let link): inputs.audio = .url(link)
            case .file(let path):
                let audioTarget = PreflightTargets.audio(order.parameters, catalog: catalog, force: force)
                let report: PreflightReport
                do {
                    report = try await BlockingWork.run { () throws(MediaError) -> PreflightReport in
                        try AudioPreflight.run(path, target: audioTarget, outputDirectory: preflightDirectory)
                    }
                } catch { throw .input(error) }
                reports.append(report)
                guard let output = report.output else { throw .input(MediaError(.unsupportedFormat, path: path, reason: "preflight wrote no usable copy")) }
                inputs.audio = .file(path: output, contentType: report.outputContentType ?? "audio/mpeg")
            }
        }
        return (inputs, reports)
    }

    private func safeName(_ id: String) -> String {
        let allowed = id.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return allowed.isEmpty ? "generation" : String(allowed.prefix(100))
    }
}
