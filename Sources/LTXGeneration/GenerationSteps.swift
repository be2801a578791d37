import Foundation
import LTXAPI
import LTXCore
import LTXMedia

/// The steps of one generation, shared by `ltxpipe generate` and the drop-folder pipeline: prepare the inputs,
/// submit (with the error table deciding what a refusal means), wait, download, verify. Each step takes values
/// and returns values; the caller decides where they are recorded. See docs/ARCHITECTURE.md, "One job's path".
public struct GenerationSteps: Sendable {
    /// The API client (catalog, dialect, governor, retries, HTTP).
    public let client: GenerationClient
    /// Verification settings.
    public let verification: VerificationSettings

    /// Steps over `client`.
    public init(client: GenerationClient, verification: VerificationSettings = VerificationSettings()) {
        self.client = client
        self.verification = verification
    }

    /// The dialect's catalog.
    public var catalog: Catalog { client.dialect.catalog }

    /// What the dialect can do.
    public var capabilities: DialectCapabilities { client.dialect.capabilities }

    /// Preflight under this client's catalog.
    public func preflight(fit: FitMode) -> InputPreflight { InputPreflight(catalog: catalog, fit: fit) }

    /// Every catalog rule the request breaks, as one message (nil when it may be sent).
    public func refusal(_ parameters: GenerationParameters, sources: InputSources) -> String? {
        if parameters.mode == .imageToVideo && sources.image == nil { return "image-to-video needs a start image" }
        if parameters.mode == .audioToVideo && sources.audio == nil { return "audio-to-video needs a soundtrack" }
        let violations = RequestValidator(catalog: catalog).violations(parameters, hasLastFrame: sources.lastFrame != nil)
        return violations.isEmpty ? nil : violations.map(\.message).joined(separator: "; ")
    }

    /// Submits once. `beforeSend` runs after the governor grants the slot, just before the bytes go out: the
    /// place to record the intent durably. With `sync` (a dialect that has it), the video itself streams to
    /// `syncPath` and the returned status is already completed.
    public func submit(_ parameters: GenerationParameters, inputs: PreparedInputs, sync: Bool = false, syncPath: String? = nil,
                       preferUpload: Bool = false, beforeSend: (@Sendable () async throws -> Void)? = nil) async -> Result<Submitted, APIError> {
        do {
            if sync {
                guard capabilities.syncEndpoint else { return .failure(.rejectedLocally("the \(client.dialect.name) protocol has no sync endpoint")) }
                guard let syncPath else { return .failure(.rejectedLocally("a sync generation needs a destination file")) }
                let result = try await client.generateSync(parameters, inputs: inputs.generationInputs, to: syncPath, preferUpload: preferUpload, beforeSend: beforeSend)
                let id = "sync-" + (result.requestID ?? UUID().uuidString)
                let status = GenerationStatus(id: id, state: .completed, requestID: result.requestID)
                return .success(Submitted(status: status, video: result.file))
            }
            let status = try await client.submit(parameters, inputs: inputs.generationInputs, preferUpload: preferUpload, beforeSend: beforeSend)
            return .success(Submitted(status: status, video: nil))
        } catch {
            return .failure(error)
        }
    }

    /// Polls a known generation until it ends; never submits again. `observed` are the latencies this endpoint has
    /// shown for such a generation (they space the polls).
    public func waitForResult(_ status: GenerationStatus, parameters: GenerationParameters, submittedAt: Double? = nil,
                              observed: [Double] = [], estimatedLatency: (@Sendable (Double) -> Void)? = nil) async -> Result<GenerationStatus, APIError> {
        let plan = client.pollPlan(for: parameters, observed: observed)
        do { return .success(try await client.waitForCompletion(status, parameters: parameters, submittedAt: submittedAt, plan: plan,
                                                                     estimatedLatency: estimatedLatency)) } catch {
            return .failure(error)
        }
    }

    /// Streams the finished video to `path` (resuming a partial file), SHA-256 on the way; with `parameters`, a
    /// body larger than the request implies (`DownloadCap`) is refused and its partial file removed.
    public func download(_ status: GenerationStatus, to path: String, parameters: GenerationParameters? = nil) async -> Result<DownloadedFile, APIError> {
        var options = DownloadOptions()
        if let parameters { options.maxBytes = DownloadCap.bytes(for: parameters) }
        do { return .success(try await client.download(status, to: path, options: options)) } catch { return .failure(error) }
    }

    /// What the delivered video must be for this request.
    /// With content checks on (sampled or deep mode), the first frame is compared with the preflighted
    /// start image, the last with `last_frame`, and an audio-to-video's soundtrack with the input audio.
    public func expectedVideo(_ parameters: GenerationParameters, inputs: PreparedInputs?) -> VerificationRequest {
        var request = PreflightTargets.expectedVideo(parameters, catalog: catalog, audioSeconds: inputs?.audioSeconds,
                                                     tolerance: verification.durationTolerance, deep: verification.mode == .deep)
        if verification.mode != .quick, let thresholds = verification.content {
            request.content = ContentExpectation(
                thresholds: thresholds, startImage: inputs?.image?.path, lastFrame: inputs?.lastFrame?.path,
                soundtrack: parameters.mode == .audioToVideo ? inputs?.audio?.path : nil
            )
        }
        return request
    }

    /// Proves the video at `path` is what was paid for.
    public func verify(_ path: String, parameters: GenerationParameters, inputs: PreparedInputs?) async throws(MediaError) -> VerificationReport {
        let expected = expectedVideo(parameters, inputs: inputs)
        return try await BlockingWork.run { () throws(MediaError) -> VerificationReport in try VideoVerifier.verify(path, against: expected) }
    }

    /// What the dialect's error table says a job does after `error` ended a call of kind `call`.
    public func disposition(for error: APIError, during call: CallKind) -> JobDisposition {
        client.dialect.retryPolicy.disposition(for: error, during: call)
    }
}

/// An accepted submit: the generation's status and, for a sync call, the video already on disk.
public struct Submitted: Sendable {
    /// The status the API answered.
    public var status: GenerationStatus
    /// The video, when the sync endpoint delivered it with the answer.
    public var video: DownloadedFile?
}

/// How a delivered video is verified.
public struct VerificationSettings: Sendable, Codable, Equatable {
    /// Index only, index + sampled frames, or every frame decoded.
    public var mode: VerificationMode
    /// Allowed |frames/fps − duration| in seconds.
    public var durationTolerance: Double
    /// Limits of the content checks; nil turns them off. They run in sampled and deep mode.
    public var content: ContentThresholds?

    /// True when every frame is decoded.
    public var deep: Bool { mode == .deep }

    /// Creates settings.
    public init(mode: VerificationMode, durationTolerance: Double = 0.5, content: ContentThresholds? = nil) {
        self.mode = mode
        self.durationTolerance = durationTolerance
        self.content = content
    }

    /// Container checks only: quick, or deep with `deep`.
    public init(deep: Bool = false, durationTolerance: Double = 0.5) {
        self.init(mode: deep ? .deep : .quick, durationTolerance: durationTolerance)
    }
}
