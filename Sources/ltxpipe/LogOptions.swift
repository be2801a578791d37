import ArgumentParser
import Logging

/// How `run` and `generate` show what they do: the log's format and its lowest level.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "text: a live status block when stdout and stderr are a terminal, else timestamped lines; json: one JSON object per line on stderr.")
    var logFormat: LogFormat = .text

    @Option(name: .customLong("log-level"), help: "The lowest level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
