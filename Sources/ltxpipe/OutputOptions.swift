import ArgumentParser
import Foundation

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
        write(Data(("ltxpipe: " + text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Writes all of `data`; a closed pipe (a reader like `head` that stopped) is not an error worth dying for.
    static func write(_ data: Data, to descriptor: Int32) {
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
