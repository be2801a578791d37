import ArgumentParser
import LTXCore
import LTXMedia

/// `ltxpipe probe FILE...`
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show container, duration, size and every stream of media files."
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "Media files to probe.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to probe") }
    }

    func run() async throws {
        var results: [ProbeResult] = []
        var failed = false
        for file in files {
            do {
                let info = try await BlockingWork.run { () throws(MediaError) -> MediaInfo in try MediaProbe.probe(file) }
                results.append(.info(info))
                if !output.json { printHuman(info) }
            } catch {
                failed = true
                results.append(.error(FileError(path: file, error: error.reason, kind: error.kind.rawValue)))
                Output.error(error.description)
            }
        }
        if output.json { Output.json(results) }
        if failed { throw ExitStatus.badInput.exitCode }
    }

    private func printHuman(_ info: MediaInfo) {
        var head = "\(info.path): \(info.container), \(info.size) bytes"
        if let d = info.duration { head += ", \(Text.seconds(d))" }
        Output.line(head)
        for s in info.streams {
            var parts = ["  #\(s.index) \(s.type.rawValue) \(s.codec)"]
            if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
            if let fps = s.fps { parts.append("\(fps) fps") }
            if let n = s.frameCount { parts.append("\(n) \(s.type == .video ? "frames" : "packets") (\(s.frameCountSource?.rawValue ?? "?"))") }
            if let p = s.pixelFormat { parts.append(p) }
            if let r = s.sampleRate { parts.append("\(r) Hz") }
            if let c = s.channelLayout ?? s.channels.map({ "\($0) ch" }) { parts.append(c) }
            if let d = s.duration { parts.append(Text.seconds(d)) }
            Output.line(parts.joined(separator: ", "))
        }
    }
}

/// One entry of `probe --json`: the file's description or why it could not be read.
enum ProbeResult: Encodable {
    case info(MediaInfo)
    case error(FileError)

    func encode(to encoder: Encoder) throws {
        switch self {
        case .info(let info): try info.encode(to: encoder)
        case .error(let error): try error.encode(to: encoder)
        }
    }
}

/// Small text formatters for human output.
enum Text {
    static func seconds(_ value: Double) -> String {
        String(format: "%.3f s", value)
    }
}
