import Foundation
import Logging

/// swift-log's handler for `run` and `generate`: levels, metadata (the job id from `JobLogContext`), and the
/// console's format.
struct ConsoleLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, logLevel: Logger.Level, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let flat = merged.mapValues { "\($0)" }
        guard let console = Console.active else {
            Output.write(Data(("ltxpipe: " + event.message.description + "\n").utf8), to: STDERR_FILENO)
            return
        }
        console.emit(event.level, event.message.description, metadata: flat, label: label)
    }
}
