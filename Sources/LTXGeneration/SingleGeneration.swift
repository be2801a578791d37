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
    /// Told the moment a submit goes out (its outcome is unknown until `accepted`).
    public let sending: @Sendable () -> Void
    /// Told the moment the API accepts a submit, with the record written next to the video (nil if it could not be).
    public let accepted: @Sendable (SubmittedGeneration, String?) -> Void

    /// A generation over `steps`.
    public init(steps: GenerationSteps, announce: @escaping @Sendable (String) -> Void = { _ in },
                sending: @escaping @Sendable () -> Void = {}, accepted: @escaping @Sendable (SubmittedGeneration, String?) -> Void = { _, _ in }) {
        self.steps = steps
        self.announce = announce
        self.sending = sending
        self.accepted = accepted
    }

    /// A submit the API accepted.
    public struct Accepted: Sendable {
        /// The answer (and, for a sync call, the video).
        public var submitted: Submitted
        /// What preflight sent.
        public var prepared: PreparedInputs
        /// The record written for `ltxpipe download`.
        public var record: SubmittedGeneration
        /// The clock's time of the answer.
        public var submittedAt: Double
    }

    /// Runs `order`: `submit`, then `complete`.
    public func run(_ order: GenerationOrder) async throws(GenerationRunError) -> GenerationOutcome {
        let accepted = try await submit(order)
        let outcome = try await complete(accepted, order: order)
        if outcome.verification.passed { try? FileManager.default.removeItem(atPath: SubmittedGeneration.path(for: outcome.generationID, in: order.outputDirectory)) }
        return outcome
    }

    /// Preflights and submits `order`: a refusal that the error table answers with a re-encode sends the inputs
    /// through preflight once more, re-encoded, and submits again; any other refusal ends the run. An accepted
    /// asynchronous submit is recorded in `ID.generation.json` in the output folder before this returns.
    public func submit(_ order: GenerationOrder) async throws(GenerationRunError) -> Accepted {
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
        let sending = self.sending
        while true {
            do {
                prepared = try await preflight.prepare(order.sources, parameters: parameters, force: force,
                                                       outputDirectory: folder.appendingPathComponent("preflight").path)
            } catch {
                throw .input(error)
            }
            prepared.actionSummary.forEach(announce)
            let syncPath = folder.appendingPathComponent("sync-\(UInt32.random(in: 0...UInt32.max)).mp4").path
            switch await steps.submit(parameters, inputs: prepared, sync: order.sync, syncPath: syncPath, preferUpload: preferUpload,
                                      beforeSend: { sending() }) {
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
        let record = SubmittedGeneration(generationID: submitted.status.id, dialect: steps.client.dialect.dialectName.rawValue, parameters: parameters,
                                         inputs: prepared, estimatedCost: steps.client.estimatedCost(parameters, audioSeconds: prepared.audioSeconds),
                                         submittedAt: Date())
        let result = Accepted(submitted: submitted, prepared: prepared, record: record, submittedAt: steps.client.clock.now())
        if submitted.video == nil {
            let folder = order.outputDirectory
            let written = await BlockingWork.run { () -> Result<String, DurableFileError> in
                Result { () throws(DurableFileError) -> String in try record.write(in: folder) }
            }
            switch written {
            case .success(let path): accepted(record, path)
            case .failure(let error):
                announce("cannot record the generation for a later download: \(error)")
                accepted(record, nil)
            }
        }
        return result
    }

    /// Waits for an accepted generation, downloads it into the order's folder and verifies it against the request.
    public func complete(_ accepted: Accepted, order: GenerationOrder) async throws(GenerationRunError) -> GenerationOutcome {
        if let synced = accepted.submitted.video {
            return try await verified(video: synced, status: accepted.submitted.status, record: accepted.record)
        }
        return try await fetch(accepted.submitted.status, record: accepted.record, outputDirectory: order.outputDirectory, submittedAt: accepted.submittedAt)
    }

    /// Fetches a generation submitted earlier (perhaps by another process): waits until it ends, downloads it into
    /// `outputDirectory` and verifies it against `record` (the request as submitted). Without a record, only what a
    /// video can be checked against by itself is checked (8n+1 frames, readable to the end).
    public func fetch(id: String, mode: GenerationMode, record: SubmittedGeneration?, outputDirectory: String) async throws(GenerationRunError) -> GenerationOutcome {
        let status: GenerationStatus
        do { status = try await steps.client.poll(id: id, mode: record?.parameters.mode ?? mode) } catch { throw .api(error) }
        let parameters = record?.parameters ?? GenerationParameters(mode: mode, prompt: "", catalog: steps.catalog)
        return try await fetch(status, record: record ?? SubmittedGeneration(generationID: id, dialect: steps.client.dialect.dialectName.rawValue,
                                                                           parameters: parameters, inputs: PreparedInputs(), estimatedCost: nil, submittedAt: Date()),
                               known: record != nil, outputDirectory: outputDirectory, submittedAt: nil)
    }

    private func fetch(_ start: GenerationStatus, record: SubmittedGeneration, known: Bool = true, outputDirectory: String,
                       submittedAt: Double?) async throws(GenerationRunError) -> GenerationOutcome {
        var status = start
        if status.state == .failed { throw .api(.generationFailed(status.failure ?? "no reason given")) }
        if status.state != .completed || status.videoURL == nil {
            switch await steps.waitForResult(status, parameters: record.parameters, submittedAt: submittedAt) {
            case .failure(let error): throw .api(error)
            case .success(let done): status = done
            }
        }
        let path = URL(fileURLWithPath: outputDirectory).appendingPathComponent("\(SingleGeneration.fileName(for: status.id)).mp4").path
        let video: DownloadedFile
        switch await steps.download(status, to: path, parameters: known ? record.parameters : nil) {
        case .failure(let error): throw .api(error)
        case .success(let file): video = file
        }
        return try await verified(video: video, status: status, record: record, known: known)
    }

    private func verified(video: DownloadedFile, status: GenerationStatus, record: SubmittedGeneration, known: Bool = true) async throws(GenerationRunError) -> GenerationOutcome {
        let verification: VerificationReport
        do {
            if known {
                verification = try await steps.verify(video.path, parameters: record.parameters, inputs: record.inputs)
            } else {
                let expected = VerificationRequest(durationTolerance: steps.verification.durationTolerance, deep: steps.verification.deep)
                verification = try await BlockingWork.run { () throws(MediaError) -> VerificationReport in try VideoVerifier.verify(video.path, against: expected) }
            }
        } catch {
            throw .video(error)
        }
        return GenerationOutcome(
            generationID: status.id, video: video, cost: status.cost, estimatedCost: record.estimatedCost,
            verification: verification, preflight: record.inputs.reports, status: status
        )
    }

    /// A file name made only of safe characters from a server-chosen id.
    static func fileName(for id: String) -> String {
        let allowed = String(id.map { $0 == ":" ? "_" : $0 }).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return allowed.isEmpty ? "generation" : String(allowed.prefix(100))
    }
}
