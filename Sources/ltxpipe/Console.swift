import Foundation
import LTXAPI
import LTXCore
import LTXPipeline
import Logging
import Synchronization

/// The console of a `run` or a `generate`: every log line (swift-log, through `ConsoleLogHandler`) and every message
/// of `Output.error` is written here, as timestamped text or as one JSON object per line, never showing an API key.
/// On a terminal in text format it also owns the live status block (`LiveStatus`), which log lines scroll above.
final class Console: Sendable {
    /// The console the process set up, if any (other commands write plain lines through `Output`).
    private static let installed = Mutex<Console?>(nil)

    /// The active console, when `run` or `generate` started one.
    static var active: Console? { installed.withLock { $0 } }

    let format: LogFormat
    /// The status block, when stdout and stderr are a terminal and the format is text.
    let live: LiveStatus?
    /// Hides the API keys of the environment in every line.
    private let redactor: KeyRedactor

    private init(format: LogFormat, live: LiveStatus?, redactor: KeyRedactor) {
        self.format = format
        self.live = live
        self.redactor = redactor
    }

    /// Sets up the console for `options` and routes swift-log through it (once per process). The live block is used
    /// only in text format when both stdout and stderr are a terminal whose `TERM` can move the cursor.
    @discardableResult
    static func start(_ options: LogOptions, environment: [String: String] = ProcessInfo.processInfo.environment) -> Console {
        let terminal = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 && environment["TERM"].map { $0 != "dumb" && !$0.isEmpty } ?? false
        let live = options.logFormat == .text && terminal ? LiveStatus(descriptor: STDERR_FILENO) : nil
        let console = Console(format: options.logFormat, live: live, redactor: KeyRedactor(environment: environment))
        installed.withLock { $0 = console }
        let level = options.logLevel
        LoggingSystem.bootstrap({ label, provider in
            ConsoleLogHandler(label: label, logLevel: level, metadataProvider: provider)
        }, metadataProvider: Logger.MetadataProvider {
            JobLogContext.jobID.map { ["job": .string($0)] } ?? [:]
        })
        return console
    }

    /// Removes the live block (before the final summary); later lines are plain.
    func finish() {
        live?.finish()
    }

    /// An `Output.error` message: in text the usual `ltxpipe: MESSAGE` line, in JSON an error-level object.
    func error(_ message: String) {
        switch format {
        case .json: emit(.error, message, metadata: [:], label: "ltxpipe")
        case .text: Output.write(Data(("ltxpipe: " + redactor.redact(message) + "\n").utf8), to: STDERR_FILENO)
        }
    }

    /// Writes one log line on stderr.
    func emit(_ level: Logger.Level, _ message: String, metadata: [String: String], label: String, at date: Date = Date()) {
        let time = Self.timestamp(date)
        let line: String
        switch format {
        case .json:
            var object = metadata.mapValues(redactor.redact)
            object["time"] = time
            object["level"] = level.rawValue
            object["message"] = redactor.redact(message)
            if label != "ltxpipe" { object["label"] = label }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(object) else { return }
            line = String(decoding: data, as: UTF8.self)
        case .text:
            var text = time + " " + level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + " "
            if label != "ltxpipe" { text += label + ": " }
            text += redactor.redact(message)
            for key in metadata.keys.sorted() { text += " " + key + "=" + redactor.redact(metadata[key] ?? "") }
            line = DisplayText.escaped(text, limit: 8_000)
        }
        Output.write(Data((line + "\n").utf8), to: STDERR_FILENO)
    }

    /// `2026-11-26T15:20:01.123Z` (UTC, milliseconds).
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        let milliseconds = min(999, max(0, Int((seconds - whole) * 1000)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }
}
