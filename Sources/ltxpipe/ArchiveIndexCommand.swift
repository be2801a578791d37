import ArgumentParser
import Foundation
import LTXCore
import LTXPipeline

/// `ltxpipe archive index DIR`
struct ArchiveIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Write DIR/index.html: a self-contained page with one card per bag (poster, contact sheet, prompt, model, cost, verification).",
        discussion: "The page loads nothing from outside DIR; open it in a browser. `run` keeps it up to date unless the pipeline says archive_index: false. Exit 0 when written (an empty archive gets a page saying so), 2 when DIR does not exist, is not a folder or index.html cannot be written there."
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "The archive folder (the pipeline's `archive`).")
    var directory: String

    /// What `--json` prints.
    struct Result: Encodable {
        var index: String
        var bags: Int
        var verified: Int
        var failed: Int
        var unknown: Int
    }

    func run() async throws {
        try ArchiveCommand.requireFolder(directory, give: "the archive folder")
        let root = directory
        let cards: [ArchiveIndex.Card]
        do {
            cards = try await BlockingWork.run { () throws(DurableFileError) -> [ArchiveIndex.Card] in try ArchiveIndex.write(root: root) }
        } catch {
            Output.error("\(directory): cannot write \(ArchiveIndex.fileName) (\(error))")
            throw ExitStatus.badInput.exitCode
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(ArchiveIndex.fileName).path
        let result = Result(
            index: path, bags: cards.count, verified: cards.filter { $0.verification == "passed" }.count,
            failed: cards.filter { $0.verification == "failed" }.count, unknown: cards.filter { $0.verification == "unknown" }.count)
        if output.json {
            Output.json(result)
        } else {
            Output.line("\(path): \(cards.count) \(cards.count == 1 ? "bag" : "bags") (\(result.verified) verified, \(result.failed) failed, \(result.unknown) without a verification report)")
        }
    }
}
