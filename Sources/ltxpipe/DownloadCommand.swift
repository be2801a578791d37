import ArgumentParser
import Foundation
import LTXAPI
import LTXGeneration

/// `ltxpipe download ID`
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Wait for a generation submitted earlier (generate --no-wait, or a generate stopped after its submit), then download and verify it.",
        discussion: """
        The video is verified against the request recorded in --out as ID.generation.json by generate; without that \
        record only what a video proves by itself is checked (8n+1 frames, readable to the end). Exit codes as generate.
        """
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var api: APIOptions

    @Argument(help: "The generation id generate printed.")
    var id: String

    @Option(help: "The generation's mode when no record of it is in --out (the ltx-v2 dialect needs it to build the URL).")
    var mode: GenerationMode = .textToVideo

    @Option(name: .customLong("out"), help: "Folder holding generate's record of the generation; the video is saved there.")
    var outputDirectory: String = "."

    @Flag(help: "Decode every frame when verifying.")
    var deep = false

    func run() async throws {
        let record: SubmittedGeneration?
        do { record = try SubmittedGeneration.read(id: id, in: outputDirectory) } catch {
            Output.error(error.description)
            throw ExitStatus.badInput.exitCode
        }
        if let record, record.dialect != api.dialect.rawValue {
            Output.error("\(SubmittedGeneration.path(for: id, in: outputDirectory)): generation \(id) was submitted with --dialect \(record.dialect), not \(api.dialect.rawValue)")
            throw ExitStatus.badInput.exitCode
        }
        if record == nil {
            Output.error("warning: no record of \(id) in \(outputDirectory) (generate writes ID.generation.json there): the video is checked for 8n+1 frames and readability only, not against the request")
        }
        let catalog: Catalog
        do { catalog = try api.effectiveCatalog() } catch {
            Output.error(error.description)
            throw ExitStatus.account.exitCode
        }
        let session: APISession
        do { session = try await APISession.open(api) } catch {
            Output.error(error.description)
            throw error.exitStatus.exitCode
        }
        let steps = GenerationSteps(client: session.client(catalog: catalog), verification: VerificationSettings(deep: deep))
        let generation = SingleGeneration(steps: steps)
        let result: Result<GenerationOutcome, GenerationRunError>
        do { result = .success(try await generation.fetch(id: id, mode: mode, record: record, outputDirectory: outputDirectory)) } catch {
            result = .failure(error)
        }
        await session.close()
        switch result {
        case .failure(let error):
            Output.error("\(id): \(error.description)")
            throw ExitStatus.of(error).exitCode
        case .success(let outcome):
            if outcome.verification.passed && record != nil {
                try? FileManager.default.removeItem(atPath: SubmittedGeneration.path(for: id, in: outputDirectory))
            }
            if output.json {
                Output.json(outcome)
            } else {
                Output.line("video:        \(outcome.video.path) (\(outcome.video.size) bytes, sha256 \(outcome.video.sha256))")
                Output.line("generation:   \(outcome.generationID)")
                Output.line("verification: \(outcome.verification.passed ? "PASS" : "FAIL")" + (record == nil ? " (without the request: frame count and readability only)" : ""))
                for check in outcome.verification.failures {
                    Output.line("  \(check.name): expected \(check.expected), got \(check.actual)")
                }
            }
            if !outcome.verification.passed { throw ExitStatus.failed.exitCode }
        }
    }
}
