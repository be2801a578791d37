import ArgumentParser
import LTXCore
import LTXAPI
import LTXMedia

/// `ltxpipe verify VIDEO...`
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check videos against what was requested: exact fps, 8n+1 frames, duration, resolution, audio.",
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
    }

    func run() async throws {
        let size = resolution.flatMap(Resolution.init(parsing:))
        let request = VerificationRequest(
            fps: fps.flatMap(Rational.init(parsing:)), duration: duration,
            width: size?.width, height: size?.height,
            audioExpected: audio, durationTolerance: tolerance, deep: deep
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

    private func printHuman(_ report: VerificationReport) {
        let m = report.measured
        var summary = "\(m.width)x\(m.height) \(m.fps?.description ?? "?") fps, \(m.frames) frames"
        if let d = m.duration { summary += ", \(Text.seconds(d))" }
        summary += ", \(m.videoCodec)" + (m.audioCodec.map { "+\($0)" } ?? "")
        Output.line("\(report.passed ? "PASS" : "FAIL")  \(report.path)  (\(report.mode)) \(summary)")
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
