import Foundation
import LTXAPI
import LTXCore
import LTXMedia

/// What `ltxpipe generate` was asked for.
public struct GenerationOrder: Sendable {
    /// The request's parameters.
    public var parameters: GenerationParameters
    /// The inputs, by role.
    public var sources: InputSources
    /// How images of another aspect are fitted.
    public var fit: FitMode
    /// Folder for preflighted copies and the video.
    public var outputDirectory: String
    /// Use the protocol's sync endpoint (the response body is the video).
    public var sync: Bool

    /// Creates an order.
    public init(parameters: GenerationParameters, sources: InputSources = InputSources(), fit: FitMode = .crop,
                outputDirectory: String, sync: Bool = false) {
        self.parameters = parameters
        self.sources = sources
        self.fit = fit
        self.outputDirectory = outputDirectory
        self.sync = sync
    }
}

/// What a finished `generate` produced.
public struct GenerationOutcome: Sendable, Codable {
    /// The API's generation id.
    public var generationID: String
    /// The downloaded video.
    public var video: DownloadedFile
    /// What the API charged, when it says.
    public var cost: Double?
    /// The price-table estimate made before submitting (nil when a price is unknown).
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
    /// An input could not be read as media.
    case input(MediaError)
    /// The delivered video could not be read at all (it was paid for: not the user's input's fault).
    case video(MediaError)
    /// The API (or the catalog) refused or failed.
    case api(APIError)

    /// One line.
    public var description: String {
        switch self {
        case .input(let error): return error.description
        case .video(let error): return "the delivered video cannot be read: \(error.description)"
        case .api(let error): return error.description
        }
    }
}

/// One generation end to end for the command line: the same steps as the pipeline, without a ledger.
public struct SingleGeneration: Sendable {
    /// The steps.
    public let steps: GenerationSteps
    /// Told about each preflight action before anything is paid for.
    public let announce: @Sendable (String) -> Void

    /// A generation over `steps`.
    public init(steps: GenerationSteps, announce: @escaping @Sendable (String) -> Void = { _ in }) {
        self.steps = steps
        self.announce = announce
    }

    /// Runs `order`: a refusal that the error table answers with a re-encode sends the inputs through preflight
    /// once more, re-encoded, and submits again; any other refusal ends the run.
    public func run(_ order: GenerationOrder) async throws(GenerationRunError) -> GenerationOutcome {
        let parameters = order.parameters
        if let refusal = steps.refusal(parameters, sources: order.sources) { throw .api(.rejectedLocally(refusal)) }
        if order.sync && !steps.capabilities.syncEndpoint {
            throw .api(.rejectedLocally("the \(steps.client.dialect.name) protocol has no sync endpoint"))
        }
        let preflight = steps.preflight(fit: order.fit)
        let folder = URL(fileURLWithPath: order.outputDirectory)
        var force = false
        var preferUpload = false
        var prepared: PreparedInputs
        var submitted: Submitted
        while true {
            do {
                prepared = try await preflight.prepare(order.sources, parameters: parameters, force: force,
                                                       outputDirectory: folder.appendingPathComponent("preflight").path)
            } catch {
                throw .input(error)
            }
            prepared.actionSummary.forEach(announce)
            let syncPath = folder.appendingPathComponent("sync-\(UInt32.random(in: 0...UInt32.max)).mp4").path
            switch await steps.submit(parameters, inputs: prepared, sync: order.sync, syncPath: syncPath, preferUpload: preferUpload) {
            case .success(let value):
                submitted = value
            case .failure(let error):
                switch steps.disposition(for: error, during: .submit) {
                case .reencodeInputs where !force:
                    announce("\(error.description); re-encoding the inputs once")
                    force = true
                    continue
                case .resendThroughUpload where !preferUpload:
                    announce("\(error.description); sending the inputs through the upload endpoint instead, once")
                    preferUpload = true
                    continue
                default:
                    throw .api(error)
                }
            }
            break
        }
        let submittedAt = steps.client.clock.now()
        let video: DownloadedFile
        var status = submitted.status
        if let synced = submitted.video {
            video = synced
        } else {
            switch await steps.waitForResult(status, parameters: parameters, submittedAt: submittedAt) {
            case .failure(let error): throw .api(error)
            case .success(let done): status = done
            }
            let path = folder.appendingPathComponent("\(SingleGeneration.fileName(for: status.id)).mp4").path
            switch await steps.download(status, to: path, parameters: parameters) {
            case .failure(let error): throw .api(error)
            case .success(let file): video = file
            }
        }
        let verification: VerificationReport
        do { verification = try await steps.verify(video.path, parameters: parameters, inputs: prepared) } catch {
            throw .video(error)
        }
        return GenerationOutcome(
            generationID: status.id, video: video, cost: status.cost, estimatedCost: steps.client.estimatedCost(parameters, audioSeconds: prepared.audioSeconds),
            verification: verification, preflight: prepared.reports, status: status
        )
    }

    /// A file name made only of safe characters from a server-chosen id.
    static func fileName(for id: String) -> String {
        let allowed = String(id.map { $0 == ":" ? "_" : $0 }).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return allowed.isEmpty ? "generation" : String(allowed.prefix(100))
    }
}
