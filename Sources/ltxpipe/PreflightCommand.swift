import ArgumentParser
import LTXAPI
import LTXCore
import LTXGeneration
import LTXMedia

/// `ltxpipe preflight FILE`
struct PreflightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Check an image or audio file against the API's limits and write a conforming copy when it needs one.",
        discussion: """
        Exit 0 when the file is accepted as it is or a fixed copy was written to --out, \
        1 when it needs a fix and no --out was given, 2 when it is damaged or cannot be used.
        """
    )

    @OptionGroup var output: OutputOptions

    @Option(help: "image-to-video or audio-to-video (default: judged from the file's content).")
    var mode: GenerationMode?

    @Option(help: "Wire dialect whose catalog sets the limits: ltx-v2 (api.ltx.video) or generations (the original reference).")
    var dialect: DialectName = .ltxV2

    @Option(help: "A catalog override file merged over the shipped catalog.")
    var catalog: String?

    @Option(help: "Model the request will use.")
    var model: String?

    @Option(help: "Resolution the request will use, WIDTHxHEIGHT.")
    var resolution: String?

    @Option(help: "Duration the request will use, in seconds, or auto.")
    var duration: DurationChoice?

    @Option(help: "How an image of another aspect ratio is made to fit: auto (with no --resolution, the catalog's preset of the image's orientation, then crop; as generate does), crop, pad or keep.")
    var fit: FitMode = .auto

    @Option(name: .customLong("out"), help: "Folder for the conforming copy.")
    var outputDirectory: String?

    @Argument(help: "The image or audio file.")
    var file: String

    func validate() throws {
        if mode == .textToVideo { throw ValidationError("text-to-video takes no input file to preflight") }
        if let resolution, Resolution(parsing: resolution) == nil {
            throw ValidationError("--resolution \(resolution) is not WIDTHxHEIGHT")
        }
    }

    func run() async throws {
        let file = self.file
        let chosenMode: GenerationMode
        if let mode {
            chosenMode = mode
        } else {
            do {
                let kind = try await BlockingWork.run { () throws(MediaError) -> InputKind in try InputKind.detect(file) }
                switch kind {
                case .image: chosenMode = .imageToVideo
                case .audio: chosenMode = .audioToVideo
                case .video:
                    Output.error("\(file): is a video; preflight takes a start image or a soundtrack")
                    throw ExitStatus.badInput.exitCode
                }
            } catch let error as MediaError {
                Output.error(error.description)
                throw ExitStatus.badInput.exitCode
            }
        }

        let catalog: Catalog
        do { catalog = try dialect.loadCatalog(overrides: self.catalog) } catch {
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        var parameters = GenerationParameters(
            mode: chosenMode, prompt: "preflight", model: model,
            resolution: resolution.flatMap(Resolution.init(parsing:)), choice: duration, catalog: catalog
        )
        if resolution == nil, fit == .auto, chosenMode == .imageToVideo, let size = ImageHeader.displaySize(ofFile: file),
           let preset = OrientedPreset.choose(for: parameters, imageWidth: size.width, imageHeight: size.height, catalog: catalog) {
            parameters.resolution = preset.resolution
            Output.error(preset.note)
        }
        let violations = RequestValidator(catalog: catalog).violations(parameters)
        if let first = violations.first {
            Output.error(violations.count == 1 ? first.message : violations.map(\.message).joined(separator: "; "))
            throw ExitStatus.badInput.exitCode
        }

        let report: PreflightReport
        do {
            report = try await InputPreflight(catalog: catalog, fit: fit).check(
                file, role: chosenMode == .imageToVideo ? .image : .audio, parameters: parameters, outputDirectory: outputDirectory)
        } catch {
            Output.error(error.description)
            throw ExitStatus.badInput.exitCode
        }

        if output.json {
            Output.json(report)
        } else {
            Output.line("\(report.input): \(report.inputDescription)")
            for action in report.actions {
                Output.line("  \(action.action.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(action.reason)")
            }
            if let out = report.output, !report.passedThrough {
                Output.line("  → \(out) (\(report.outputDescription ?? ""))")
            } else if report.needsFix {
                Output.line("  needs a fix: run again with --out DIR to write a conforming copy")
            }
        }
        if report.needsFix { throw ExitStatus.failed.exitCode }
    }
}

extension GenerationMode: ExpressibleByArgument {}
extension FitMode: ExpressibleByArgument {}
