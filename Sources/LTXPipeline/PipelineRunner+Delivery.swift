import Foundation
import LTXAPI
import LTXCore
import LTXGeneration
import LTXMedia

/// What `deliver: exact` did to a job's video: the render kept beside the delivered crop.
struct ExactDelivery: Sendable {
    /// The size the backend rendered and the size delivered (the size asked for).
    var rendered: Resolution, delivered: Resolution
    /// SHA-256 of the render (`rendered.mp4`) and of the delivered crop (`video.mp4`).
    var renderedSHA256: String, deliveredSHA256: String
    /// The delivered crop's verification.
    var report: VerificationReport
}

extension PipelineRunner {
    /// `deliver: exact`, run on a verified job before its bag is written: when the backend rendered a size other than
    /// the one asked for, the render is centre-cropped to the requested size and the crop verified.
    ///
    /// The job folder moves through these states, each a set of whole files, so a kill between any two steps resumes
    /// without losing the render or cropping twice: `video.mp4` (the render) → + `delivered.mp4` (the crop, written
    /// under a temporary name, flushed and renamed by `ExactSizeDelivery`) → `rendered.mp4` + `delivered.mp4` →
    /// `rendered.mp4` + `video.mp4` (the crop). On entry, the files present say which step comes next.
    ///
    /// Returns `.success(nil)` when nothing is to be cropped, `.failure` with the reason when the crop or its
    /// verification failed (the caller fails the job; the render stays in the folder and is filed with it).
    func deliverExactly(_ job: JobRecord) async -> Result<ExactDelivery?, DeliveryFailure> {
        guard configuration.deliver == .exact, let parameters = job.parameters else { return .success(nil) }
        let steps = lane(of: job).steps
        let requested = parameters.resolution
        let renderSize = steps.catalog.rendered(requested)
        guard renderSize != requested else { return .success(nil) }
        let folder = jobDirectory(job.id)
        let video = folder + "/video.mp4", rendered = folder + "/rendered.mp4", delivered = folder + "/delivered.mp4"
        let step: Result<ExactSizeDelivery.Outcome?, DeliveryFailure> = await BlockingWork.run {
            let exists = { (path: String) -> Bool in var info = stat(); return lstat(path, &info) == 0 }
            do {
                var outcome: ExactSizeDelivery.Outcome?
                if !exists(rendered) && !exists(delivered) {
                    outcome = try ExactSizeDelivery.crop(input: video, output: delivered, width: requested.width, height: requested.height)
                }
                if !exists(rendered) {
                    guard rename(video, rendered) == 0 else { throw DurableFileError("keep the render as", rendered) }
                    try DurableFile.syncParent(of: rendered)
                }
                if exists(delivered) {
                    guard rename(delivered, video) == 0 else { throw DurableFileError("deliver the crop as", video) }
                    try DurableFile.syncParent(of: video)
                }
                return .success(outcome)
            } catch let error as MediaError {
                return .failure(DeliveryFailure(detail: "cannot crop the \(renderSize) render to \(requested): \(error.description)"))
            } catch {
                return .failure(DeliveryFailure(detail: "cannot crop the \(renderSize) render to \(requested): \(error)"))
            }
        }
        let outcome: ExactSizeDelivery.Outcome?
        switch step {
        case .failure(let failure): return .failure(failure)
        case .success(let done): outcome = done
        }
        // The crop is checked at the requested size for what a crop could break: container, codec, size, rate,
        // duration, audio, and (as the pipeline's mode asks) every frame decoding. The content checks (black, frozen,
        // start image, soundtrack) are not run again: they passed on the render, and a crop re-encodes the same
        // frames with the same timestamps and copies the audio packets unchanged.
        var request = steps.expectedVideo(parameters, inputs: job.preflight)
        request.width = requested.width
        request.height = requested.height
        request.content = nil
        let expected = request
        let renderMeasured = job.verification?.measured
        typealias Checked = (report: VerificationReport, rendered: String, delivered: String, sheet: VerifiedContactSheet?)
        let checked: Result<Checked, DeliveryFailure> = await BlockingWork.run {
            do {
                // A deep check decodes every frame of the crop: the bag's contact sheet is made on that pass.
                let verified = try VideoVerifier.verifyMakingContactSheet(video, against: expected)
                var report = verified.report
                let sheet = verified.contactSheet.flatMap { sheet in
                    VerifiedContactSheet.FileIdentity.of(video).map { VerifiedContactSheet(sheet: sheet, file: $0) }
                }
                if let renderMeasured {
                    report.checks.append(VerificationCheck(name: "frames as rendered", expected: String(renderMeasured.frames),
                                                           actual: String(report.measured.frames), passed: report.measured.frames == renderMeasured.frames))
                    if let fps = renderMeasured.fps {
                        report.checks.append(VerificationCheck(name: "fps as rendered", expected: fps.description,
                                                               actual: report.measured.fps?.description ?? "none", passed: report.measured.fps.map { abs($0.value - fps.value) < 1e-9 } ?? false))
                    }
                }
                return .success((report, try DurableFile.digest(of: rendered).sha256, try DurableFile.digest(of: video).sha256, sheet))
            } catch {
                return .failure(DeliveryFailure(detail: "the \(requested) crop cannot be checked: \(error)"))
            }
        }
        switch checked {
        case .failure(let failure): return .failure(failure)
        case .success(let result):
            if !result.report.passed {
                let summary = result.report.failures.map { "\($0.name): expected \($0.expected), got \($0.actual)" }.joined(separator: "; ")
                return .failure(DeliveryFailure(detail: "the \(requested) crop of the \(renderSize) render failed verification: \(summary)"))
            }
            verifiedSheets[job.id] = result.sheet
            let rows = renderSize.height - requested.height, columns = renderSize.width - requested.width
            let removed = [rows > 0 ? "\(rows) rows" : nil, columns > 0 ? "\(columns) columns" : nil].compactMap { $0 }.joined(separator: " and ")
            log("\(job.name): deliver exact: \(renderSize) → \(requested), \(removed) removed"
                + (outcome == nil ? " (cropped before the last stop)" : "") + "; the render is kept as rendered.mp4")
            return .success(ExactDelivery(rendered: renderSize, delivered: requested, renderedSHA256: result.rendered,
                                          deliveredSHA256: result.delivered, report: result.report))
        }
    }
}

/// Why `deliver: exact` could not deliver a job's video at the size asked for.
struct DeliveryFailure: Error, Sendable {
    /// What went wrong, for the job's failure detail.
    var detail: String
}
