import ArgumentParser
import Foundation
import Synchronization

/// Options every command shares.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print a machine-readable JSON result on stdout.")
    var json = false
}

/// Writes results to stdout and messages to stderr.
enum Output {
    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            write(data, to: STDOUT_FILENO)
        } catch {
            Output.error("cannot encode result as JSON: \(error)")
        }
    }

    static func line(_ text: String) {
        write(Data((text + "\n").utf8), to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        lastError.withLock { $0 = text }
        if let console = Console.active {
            console.error(text)
        } else {
            write(Data(("ltxpipe: " + text + "\n").utf8), to: STDERR_FILENO)
        }
    }

    /// The last message `error` printed: what `--json` reports on stdout when a command ends in an error.
    static let lastError = Mutex<String?>(nil)
    /// Whether anything was written on stdout (a command's result): an error is then not reported there again.
    static let wroteResult = Mutex(false)

    /// Writes `data` on `descriptor`, above the live status block when one is shown.
    static func write(_ data: Data, to descriptor: Int32) {
        if descriptor == STDOUT_FILENO { wroteResult.withLock { $0 = true } }
        if let live = Console.active?.live {
            live.printAbove(data, to: descriptor)
        } else {
            rawWrite(data, to: descriptor)
        }
    }

    /// Writes all of `data`; a closed pipe (a reader like `head` that stopped) is not an error worth dying for.
    static func rawWrite(_ data: Data, to descriptor: Int32) {
        data.withUnsafeBytes { buffer in
            guard var base = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let n = Foundation.write(descriptor, base, remaining)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                remaining -= n
                base += n
            }
        }
    }
}

/// A per-file error in a JSON result list.
struct FileError: Encodable {
    let path: String
    let error: String
    let kind: String
}
