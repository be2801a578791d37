import ArgumentParser

/// The two forms of a log line.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
