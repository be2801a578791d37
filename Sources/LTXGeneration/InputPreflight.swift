import Foundation
import LTXAPI
import LTXCore
import LTXMedia

/// The one place an input file is checked and fixed for a request: `ltxpipe preflight`, `generate` and the
/// pipeline all come through here, so they accept and refuse exactly the same files.
public struct InputPreflight: Sendable {
    /// The catalog whose limits apply.
    public let catalog: Catalog
    /// How images of another aspect ratio are fitted.
    public let fit: FitMode

    /// Preflight against `catalog`.
    public init(catalog: Catalog, fit: FitMode = .crop) {
        self.catalog = catalog
        self.fit = fit
    }

    /// Checks one file for `role` in a request with `parameters`, writing a conforming copy under
    /// `outputDirectory` when one is needed (or, with no directory, only reporting). `force` re-encodes even a
    /// file that would pass, within tighter limits (after the API refused it once).
    public func check(_ path: String, role: InputRole, parameters: GenerationParameters, force: Bool = false,
                      outputDirectory: String?) async throws(MediaError) -> PreflightReport {
        let folder = outputDirectory.map { role.folder.isEmpty ? $0 : $0 + "/" + role.folder }
        switch role {
        case .image, .lastFrame:
            let target = PreflightTargets.image(parameters, catalog: catalog, fit: fit, force: force)
            return try await BlockingWork.run { () throws(MediaError) -> PreflightReport in
                try ImagePreflight.run(path, target: target, outputDirectory: folder)
            }
        case .audio:
            let target = PreflightTargets.audio(parameters, catalog: catalog, force: force)
            return try await BlockingWork.run { () throws(MediaError) -> PreflightReport in
                try AudioPreflight.run(path, target: target, outputDirectory: folder)
            }
        }
    }

    /// Preflights every local file of `sources` into `outputDirectory`; URLs pass through unchanged.
    public func prepare(_ sources: InputSources, parameters: GenerationParameters, force: Bool = false,
                        outputDirectory: String) async throws(MediaError) -> PreparedInputs {
        var prepared = PreparedInputs()
        for (role, source) in [(InputRole.image, sources.image), (.lastFrame, sources.lastFrame), (.audio, sources.audio)] {
            switch source {
            case nil: continue
            case .url(let link)?:
                prepared.urls = (prepared.urls ?? [:]).merging([role.rawValue: link]) { $1 }
            case .file(let path)?:
                let report = try await check(path, role: role, parameters: parameters, force: force, outputDirectory: outputDirectory)
                prepared.reports.append(report)
                guard let output = report.output else {
                    throw MediaError(.unsupportedFormat, path: path, reason: "preflight wrote no usable copy")
                }
                let file = PreparedFile(path: output, contentType: report.outputContentType ?? (role == .audio ? "audio/mpeg" : "image/jpeg"))
                switch role {
                case .image: prepared.image = file
                case .lastFrame: prepared.lastFrame = file
                case .audio: prepared.audio = file
                }
            }
        }
        return prepared
    }
}
