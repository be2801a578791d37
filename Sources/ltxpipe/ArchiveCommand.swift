import ArgumentParser
import LTXCore
import Foundation
import LTXMedia
import LTXPipeline

/// `ltxpipe archive ...`: the verified BagIt archive.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Work with the verified archive of BagIt bags.",
        subcommands: [ArchiveVerifyCommand.self, ArchiveIndexCommand.self]
    )

    /// Stops with a bad-input exit unless `directory` is an existing folder; `give` names what to pass instead.
    static func requireFolder(_ directory: String, give: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            Output.error("\(directory): no such folder")
            throw ExitStatus.badInput.exitCode
        }
        guard isDirectory.boolValue else {
            Output.error("\(directory): not a folder; give \(give)")
            throw ExitStatus.badInput.exitCode
        }
    }
}

/// `ltxpipe archive verify DIR`
struct ArchiveVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check the fixity of every bag under a folder; list damaged, missing and extra files.",
        discussion: "Exit 0 when every bag is valid, 1 when any bag is damaged, incomplete or has extra files, 2 when DIR does not exist or holds no bag."
    )

    @OptionGroup var output: OutputOptions

    @Argument(help: "An archive folder (or one bag) to check.")
    var directory: String

    func run() async throws {
        try ArchiveCommand.requireFolder(directory, give: "the archive folder or a bag folder")
        let root = directory
        let reports = await BlockingWork.run { () -> [BagReport] in BagVerifier.verifyArchive(root: root) }
        guard !reports.isEmpty else {
            Output.error("\(directory): no bag found (a bag is a folder holding bagit.txt)")
            throw ExitStatus.badInput.exitCode
        }
        let invalid = reports.filter { !$0.valid }
        if output.json {
            Output.json(reports)
        } else {
            for report in reports { printHuman(report) }
            let bags = reports.count == 1 ? "1 bag" : "\(reports.count) bags"
            Output.line(invalid.isEmpty ? "\(bags), all OK" : "\(bags): \(reports.count - invalid.count) OK, \(invalid.count) DAMAGED")
        }
        if !invalid.isEmpty { throw ExitStatus.failed.exitCode }
    }

    private func printHuman(_ report: BagReport) {
        Output.line("\(report.valid ? "OK     " : "DAMAGED")  \(report.path)")
        for path in report.damaged { Output.line("         damaged: \(path)") }
        for path in report.missing { Output.line("         missing: \(path)") }
        for path in report.extra { Output.line("         extra:   \(path)") }
        for problem in report.problems { Output.line("         problem: \(problem)") }
    }
}
