import ArgumentParser
import LTXMedia

@main
struct LTXPipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ltxpipe")
    func run() throws {
        print(try MediaProbe.probe(CommandLine.arguments.last ?? ""))
    }
}
