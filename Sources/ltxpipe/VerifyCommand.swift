import ArgumentParser
import Foundation
import LTXCore
import LTXAPI
import LTXMedia

/// `ltxpipe verify VIDEO...`
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check videos against what was requested: exact fps, 8n+1 frames, duration, resolution, audio; with --content also the picture and the sound.",
        discussion: "Exit 0 when every file passes, 1 when a file opens but a check fails, 2 when a file cannot be read as a video."
    )

    @OptionGroup var output: OutputOptions

    @Option(help: "Expected frame rate, exact (25, 50, 30000/1001).")
    var fps: String?

    @Option(help: "Expected duration in seconds.")
    var duration: Double?

    @Option(help: "Expected resolution, WIDTHxHEIGHT.")
    var resolution: String?

    @Flag(help: "Require an audio stream.")
    var audio = false

    @Flag(help: "Decode every frame and report the first one that fails.")
    var deep = false

    @Option(help: "Allowed difference between frames/fps and --duration, in seconds.")
    var tolerance: Double = 0.5

    @Flag(help: "Check the picture and the sound too: black or flat frames, frozen frames, silence (with --audio), and the likeness to --image / --last-frame / --soundtrack. Samples frames from keyframes; with --deep, every frame.")
    var content = false

    @Option(help: "The start image the first frame must resemble (implies --content).")
    var image: String?

    @Option(name: .customLong("last-frame"), help: "The last_frame image the last frame must resemble (implies --content).")
    var lastFrame: String?

    @Option(help: "The input audio (audio-to-video) the video's soundtrack must match (implies --content and --audio).")
    var soundtrack: String?

    @Argument(help: "Video files to verify.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one video to verify") }
        if let fps, Rational(parsing: fps) == nil || Rational(parsing: fps)?.numerator == 0 {
            throw ValidationError("--fps \(fps) is not a frame rate (examples: 25, 50, 30000/1001)")
        }
        if let resolution, Resolution(parsing: resolution) == nil {
            throw ValidationError("--resolution \(resolution) is not WIDTHxHEIGHT")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if tolerance < 0 { throw ValidationError("--tolerance must not be negative") }
        for (flag, value) in [("--image", image), ("--last-frame", lastFrame), ("--soundtrack", soundtrack)] where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a file name")
        }
    }

    func run() async throws {
        let size = resolution.flatMap(Resolution.init(parsing:))
        let request = VerificationRequest(
            fps: fps.flatMap(Rational.init(parsing:)), duration: duration,
            width: size?.width, height: size?.height,
            audioExpected: audio || soundtrack != nil, durationTolerance: tolerance, deep: deep,
            content: content || image != nil || lastFrame != nil || soundtrack != nil
                ? ContentExpectation(startImage: image, lastFrame: lastFrame, soundtrack: soundtrack) : nil
        )
        var results: [VerifyResult] = []
        var status = ExitStatus.success
        for file in files {
            do {
                let report = try await BlockingWork.run { () throws(MediaError) -> VerificationReport in
                    try VideoVerifier.verify(file, against: request)
                }
                results.append(.report(report))
                if !report.passed && status == .success { status = .failed }
                if !output.json { printHuman(report) }
            } catch {
                status = .badInput
                results.append(.error(FileError(path: file, error: error.reason, kind: error.kind.rawValue)))
                Output.error(error.description)
            }
        }
        if output.json { Output.json(results) }
        if status != .success { throw status.exitCode }
    }

    private func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    private func printHuman(_ report: VerificationReport) {
        let m = report.measured
        var summary = "\(m.width)x\(m.height) \(m.fps?.description ?? "?") fps, \(m.frames) frames"
        if let d = m.duration { summary += ", \(Text.seconds(d))" }
        summary += ", \(m.videoCodec)" + (m.audioCodec.map { "+\($0)" } ?? "")
        Output.line("\(report.passed ? "PASS" : "FAIL")  \(report.path)  (\(report.mode)) \(summary)")
        if let c = m.content {
            let unit = report.mode == VerificationMode.sampled.rawValue ? "sampled runs" : "frames"
            var line = "      content: \(c.framesAnalyzed) \(unit), \(c.blackFrames) black or flat, \(c.identicalPairs) of \(c.pairsCompared) pairs identical"
            if let s = c.startImageSimilarity { line += ", start image SSIM \(decimal(s))" }
            if let s = c.lastFrameSimilarity { line += ", last frame SSIM \(decimal(s))" }
            if let level = c.audioLevel { line += ", audio \(decimal(level)) dBFS" }
            if let r = c.envelopeCorrelation { line += ", soundtrack correlation \(decimal(r))" }
            Output.line(line)
        }
        for check in report.failures {
            Output.line("      \(check.name): expected \(check.expected), got \(check.actual)")
        }
    }
}

/// One entry of `verify --json`.
enum VerifyResult: Encodable {
    case report(VerificationReport)
    case error(FileError)

    func encode(to encoder: Encoder) throws {
        switch self {
        case .report(let report): try report.encode(to: encoder)
        case .error(let error): try error.encode(to: encoder)
        }
    }
}
