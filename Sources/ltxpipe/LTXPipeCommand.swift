import ArgumentParser
import Foundation

/// The `ltxpipe` command: argument parsing and printing; every real step lives in the library modules.
@main
struct LTXPipeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltxpipe",
        abstract: "Check media, generate LTX-2 videos, verify them and archive them.",
        subcommands: [ProbeCommand.self, PreflightCommand.self, VerifyCommand.self, GenerateCommand.self, DownloadCommand.self, StatusCommand.self, RunCommand.self, JobsCommand.self, RetryCommand.self, SpendCommand.self, ArchiveCommand.self, SimulateCommand.self, CatalogCommand.self]
    )

    /// Runs the chosen subcommand; usage errors exit 2 (README, "Exit codes") instead of 64.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        if let refusal = DashArguments.refusal(Array(CommandLine.arguments.dropFirst())) {
            Output.write(Data((refusal + "\n").utf8), to: STDERR_FILENO)
            Foundation.exit(ExitStatus.badInput.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Output.write(Data((fullMessage(for: error) + "\n").utf8), to: STDERR_FILENO)
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            exit(withError: error)
        }
    }
}

