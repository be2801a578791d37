import ArgumentParser
import Foundation

/// The `ltxpipe` command: argument parsing and printing; every real step lives in the library modules.
@main
struct LTXPipeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltxpipe",
        abstract: "Check media, generate LTX-2 videos, verify them and archive them.",
        version: LTXPipeVersion.text,
        subcommands: [ProbeCommand.self, PreflightCommand.self, VerifyCommand.self, GenerateCommand.self, DownloadCommand.self, StatusCommand.self, RunCommand.self, JobsCommand.self, RetryCommand.self, SpendCommand.self, ArchiveCommand.self, SimulateCommand.self, CatalogCommand.self]
    )

    /// Runs the chosen subcommand; usage errors exit 2 (README, "Exit codes") instead of 64. With `--json`, a command
    /// that ends in an error without having printed a result prints `{"error", "file", "exit_code"}` on stdout too.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.prefix { $0 != "--" }.contains("--json")
        if let refusal = DashArguments.refusal(arguments) {
            Output.write(Data((refusal + "\n").utf8), to: STDERR_FILENO)
            if json { JSONErrorReport.print(message: refusal, exitCode: ExitStatus.badInput.rawValue, arguments: arguments) }
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
                let message = fullMessage(for: error)
                Output.write(Data((message + "\n").utf8), to: STDERR_FILENO)
                if json { JSONErrorReport.print(message: message, exitCode: ExitStatus.badInput.rawValue, arguments: arguments) }
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            if json, !code.isSuccess, !Output.wroteResult.withLock({ $0 }) {
                let message = Output.lastError.withLock { $0 } ?? fullMessage(for: error)
                JSONErrorReport.print(message: message, exitCode: code.rawValue, arguments: arguments)
            }
            exit(withError: error)
        }
    }
}
