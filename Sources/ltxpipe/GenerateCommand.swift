import ArgumentParser
import Foundation
import LTXAPI
import LTXGeneration
import LTXMedia
import Logging
import Synchronization

/// `ltxpipe generate MODE --prompt ...`
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Preflight, submit, wait, download and verify one generation.",
        discussion: "Exit 0 verified, 1 failed or did not verify, 2 bad input, 3 refused for account reasons (401/402), 4 API unavailable or submit outcome unknown."
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var logging: LogOptions

    @Argument(help: "text-to-video, image-to-video or audio-to-video.")
    var mode: GenerationMode

    @Option(help: "What the video shows.")
    var prompt: String

    @Option(help: "Start image: a file (preflighted first) or an http(s) URL.")
    var image: String?

    @Option(help: "Soundtrack: a file (preflighted first) or an http(s) URL.")
    var audio: String?

    @Option(help: "Model (default from the catalog).")
    var model: String?

    @Option(help: "Resolution WIDTHxHEIGHT (default from the catalog).")
    var resolution: String?

    @Option(help: "Duration in seconds, or auto (the service picks the length; ltx-2-5 models).")
    var duration: DurationChoice?

    @Option(help: "Frames per second.")
    var fps: Int?

    @Option(help: "Seed for reproducibility (generations dialect).")
    var seed: Int?

    @Option(name: .customLong("last-frame"), help: "Last frame for image-to-video: a file or an http(s) URL (ltx-v2, ltx-2-3 models).")
    var lastFrame: String?

    @Option(name: .customLong("camera-motion"), help: "Camera motion preset (ltx-v2): dolly_in, dolly_out, dolly_left, dolly_right, jib_up, jib_down, static, focus_shift.")
    var cameraMotion: String?

    @Option(name: .customLong("guidance-scale"), help: "Guidance scale for audio-to-video (ltx-v2).")
    var guidanceScale: Double?

    @Flag(name: .customLong("no-audio"), help: "Ask for a video without a soundtrack (ltx-v2).")
    var noAudio = false

    @Flag(help: "Use the sync endpoint: one request whose answer is the video (ltx-v2; a broken connection loses a paid video).")
    var sync = false

    @Option(help: "How a start image of another aspect ratio is made to fit: auto (with no --resolution, the catalog's preset of the image's orientation, then crop), crop, pad or keep.")
    var fit: FitMode = .auto

    @Option(name: .customLong("out"), help: "Folder for the video and preflighted inputs.")
    var outputDirectory: String = "."

    @Flag(help: "Decode every frame when verifying.")
    var deep = false

    @Flag(name: .customLong("no-wait"), help: "Print the generation id once the submit is accepted and exit; fetch the video later with `ltxpipe download ID`.")
    var noWait = false

    @Flag(name: .customLong("dry-run"), help: "Validate and print the request and its cost estimate without calling the API.")
    var dryRun = false

    func validate() throws {
        if let resolution, Resolution(parsing: resolution) == nil { throw ValidationError("--resolution \(resolution) is not WIDTHxHEIGHT") }
        if mode == .textToVideo && image != nil { throw ValidationError("--image goes with image-to-video (or audio-to-video on ltx-v2)") }
        if mode != .audioToVideo && audio != nil { throw ValidationError("--audio goes with audio-to-video") }
        if mode == .imageToVideo && image == nil { throw ValidationError("image-to-video needs --image FILE|URL") }
        if mode == .audioToVideo && audio == nil { throw ValidationError("audio-to-video needs --audio FILE|URL") }
        if noWait && sync { throw ValidationError("--no-wait and --sync exclude each other: a sync call's answer is the video") }
        if noWait && api.resolvedBase == "simulator" {
            throw ValidationError("--no-wait needs a service that outlives this process; the in-process simulator stops with it (run `ltxpipe simulate` and pass its --api-base)")
        }
    }

    func run() async throws {
        let console = Console.start(logging)
        let logger = Logger(label: "ltxpipe")
        let catalog: Catalog
        do { catalog = try api.effectiveCatalog() } catch {
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let dialect = api.dialectName.dialect(catalog: catalog)
        let rule = dialect.catalog.modeRule(mode)
        if mode == .audioToVideo, image != nil, rule?.optionalImage != true {
            Output.error("--image: audio-to-video takes no start image in the \(dialect.name) protocol")
            throw ExitStatus.badInput.exitCode
        }
        var parameters = GenerationParameters(
            mode: mode, prompt: prompt, model: model, resolution: resolution.flatMap(Resolution.init(parsing:)),
            choice: duration, fps: fps, seed: seed, generateAudio: noAudio ? false : nil, cameraMotion: cameraMotion,
            guidanceScale: guidanceScale, catalog: dialect.catalog
        )
        // With no --resolution, `fit: auto` (and audio-to-video where the service follows the image) take the preset of
        // the start image's orientation.
        if resolution == nil, fit == .auto || rule?.optionalImage == true, let image, case .success(.file(let path)) = InputSource.parse(image),
           let size = ImageHeader.displaySize(ofFile: path),
           let preset = OrientedPreset.choose(for: parameters, imageWidth: size.width, imageHeight: size.height, catalog: dialect.catalog) {
            parameters.resolution = preset.resolution
            logger.info("\(preset.note)")
        }
        let validator = RequestValidator(catalog: dialect.catalog)
        let violations = validator.violations(parameters, hasLastFrame: lastFrame != nil)
        for warning in validator.warnings(parameters) { logger.warning("warning: \(warning)") }
        if !violations.isEmpty {
            Output.error(violations.map(\.message).joined(separator: "; "))
            throw ExitStatus.badInput.exitCode
        }
        var sources: (image: InputSource?, audio: InputSource?, lastFrame: InputSource?) = (nil, nil, nil)
        for (value, slot) in [(image, 0), (audio, 1), (lastFrame, 2)] {
            guard let value else { continue }
            switch InputSource.parse(value) {
            case .success(let source):
                switch slot {
                case 0: sources.image = source
                case 1: sources.audio = source
                default: sources.lastFrame = source
                }
            case .failure(let error):
                Output.error(error.description)
                throw ExitStatus.badInput.exitCode
            }
        }
        let estimate = validator.estimatedCost(parameters)
        if dryRun {
            let actions = try await dryRunPreflight(
                InputSources(image: sources.image, audio: sources.audio, lastFrame: sources.lastFrame), parameters: parameters,
                catalog: dialect.catalog)
            printDryRun(parameters, sources: (sources.image, sources.audio), estimate: estimate, catalogKey: catalog.priceKey(parameters),
                        preflight: actions)
            return
        }

        let session: APISession
        do { session = try await APISession.open(base: api.resolvedBase, dialect: api.dialectName, timeScale: api.scale) } catch {
            Output.error(error.description)
            throw error.exitStatus.exitCode
        }
        session.announce(to: { logger.info("\($0)") })
        let order = GenerationOrder(
            parameters: parameters, sources: InputSources(image: sources.image, audio: sources.audio, lastFrame: sources.lastFrame),
            fit: fit, outputDirectory: outputDirectory, sync: sync
        )
        let board = GenerateStatusBoard(parameters: parameters, catalog: dialect.catalog, estimate: estimate, scale: api.scale)
        let progressInLog = console.live == nil
        let client = session.client(catalog: catalog, observer: { event in
            board.record(event)
            ClientEventLog.log(event, to: logger, progressInLog: progressInLog)
        })
        let steps = GenerationSteps(client: client, verification: VerificationSettings(deep: deep))
        let progress = Mutex(SubmitProgress.preparing)
        let fetchLater = downloadCommand
        let generation = SingleGeneration(steps: steps, announce: { logger.notice("preflight: \($0)") },
                                          sending: { progress.withLock { $0 = .sending }; board.sending() },
                                          accepted: { record, _ in
                                              progress.withLock { $0 = .accepted(record.generationID) }
                                              board.accepted(record.generationID)
                                              logger.info("submitted as generation \(record.generationID)", metadata: ["generation": "\(record.generationID)"])
                                          })
        let noWait = self.noWait
        let work = Task { () async -> Result<GenerationOutcome?, GenerationRunError> in
            do throws(GenerationRunError) {
                let accepted = try await generation.submit(order)
                if noWait { return .success(nil) }
                let outcome = try await generation.complete(accepted, order: order)
                if outcome.verification.passed {
                    try? FileManager.default.removeItem(atPath: SubmittedGeneration.path(for: outcome.generationID, in: order.outputDirectory))
                }
                return .success(outcome)
            } catch {
                return .failure(error)
            }
        }
        let follow = console.live.map { board.follow(on: $0) }
        let signals = StopSignals(onFirst: { _ in
            console.finish()
            switch progress.withLock({ $0 }) {
            case .preparing:
                Output.error("stopped before anything was submitted; nothing was paid for")
            case .sending:
                Output.error("stopped while a submit was on its way: it may have been accepted (and paid for) without this process hearing its id")
            case .accepted(let id):
                Output.error("stopped; generation \(id) was submitted and is paid for: fetch it later with `\(fetchLater(id))`")
            }
            Foundation.exit(ExitStatus.interrupted.rawValue)
        }, onSecond: {})
        let result = await work.value
        follow?.cancel()
        console.finish()
        signals.cancel()
        await session.close()
        if noWait, case .success = result, case .accepted(let id) = progress.withLock({ $0 }) {
            if output.json {
                struct Submitted: Encodable { let generationId: String, download: String }
                Output.json(Submitted(generationId: id, download: fetchLater(id)))
            } else {
                Output.line(id)
                logger.notice("submitted; fetch the video with `\(fetchLater(id))`")
            }
            return
        }
        switch result {
        case .failure(let error):
            Output.error(error.description)
            throw ExitStatus.of(error).exitCode
        case .success(nil):
            return
        case .success(let outcome?):
            if output.json {
                Output.json(outcome)
            } else {
                Output.line("video:        \(outcome.video.path) (\(outcome.video.size) bytes, sha256 \(outcome.video.sha256))")
                Output.line("generation:   \(outcome.generationID)")
                Output.line("cost:         " + (outcome.cost.map { String(format: "$%.2f", $0) } ?? "not reported")
                            + (outcome.estimatedCost.map { String(format: " (estimated $%.2f)", $0) } ?? ""))
                Output.line("verification: \(outcome.verification.passed ? "PASS" : "FAIL")")
                for check in outcome.verification.failures {
                    Output.line("  \(check.name): expected \(check.expected), got \(check.actual)")
                }
            }
            if !outcome.verification.passed { throw ExitStatus.failed.exitCode }
        }
    }

    /// The command that fetches generation `id` later, with the options that reach the same service and folder.
    var downloadCommand: @Sendable (String) -> String {
        var words = ["ltxpipe", "download"]
        if api.dialect != .ltxV2 { words += ["--dialect", api.dialect.rawValue] }
        if let base = api.apiBase { words += ["--api-base", base] }
        if outputDirectory != "." { words += ["--out", outputDirectory] }
        let prefix = words.map(ShellWord.quoted).joined(separator: " ")
        return { id in prefix + " " + ShellWord.quoted(id) }
    }

    /// Preflights the local inputs as the real run would, into a temporary folder removed afterwards; a file the
    /// real run would refuse ends the dry run with the same line and exit code.
    private func dryRunPreflight(_ sources: InputSources, parameters: GenerationParameters, catalog: Catalog) async throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-dry-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let prepared = try await InputPreflight(catalog: catalog, fit: fit).prepare(sources, parameters: parameters, outputDirectory: folder)
            return prepared.actionSummary
        } catch {
            let failure = GenerationRunError.input(error)
            Output.error(failure.description)
            throw ExitStatus.of(failure).exitCode
        }
    }

    private func printDryRun(_ parameters: GenerationParameters, sources: (image: InputSource?, audio: InputSource?), estimate: Double?, catalogKey: String,
                             preflight: [String]) {
        struct DryRun: Encodable {
            let mode: String, prompt: String, model: String, resolution: String
            @ExplicitNull var duration: Int?
            let fps: Int, seed: Int?
            let image: String?, audio: String?
            @ExplicitNull var estimatedCost: Double?
            let priceKey: String, apiCalls: Int
            let preflight: [String]
        }
        func describe(_ source: InputSource?) -> String? {
            switch source {
            case .file(let path)?: return "file \(path) (preflighted before upload)"
            case .url(let link)?: return "url \(link)"
            case nil: return nil
            }
        }
        let plan = DryRun(
            mode: parameters.mode.rawValue, prompt: parameters.prompt, model: parameters.model, resolution: parameters.resolution.description,
            duration: parameters.duration, fps: parameters.fps, seed: parameters.seed,
            image: describe(sources.image), audio: describe(sources.audio), estimatedCost: estimate, priceKey: catalogKey, apiCalls: 0,
            preflight: preflight
        )
        if output.json { Output.json(plan); return }
        Output.line("would submit \(parameters.mode.rawValue): model \(parameters.model), \(parameters.resolution), \(parameters.durationText) at \(parameters.fps) fps" + (parameters.seed.map { ", seed \($0)" } ?? ""))
        Output.line("prompt: \(parameters.prompt)")
        if let image = plan.image { Output.line("image: \(image)") }
        if let audio = plan.audio { Output.line("audio: \(audio)") }
        for action in preflight { Output.line("preflight: \(action)") }
        Output.line("estimated cost: " + (estimate.map { String(format: "$%.2f", $0) }
            ?? "unknown: the catalog has no price for this; set \(catalogKey) in a --catalog file to fill it in"))
        Output.line("(dry run: no API call made)")
    }
}
