import ArgumentParser
import LTXAPI

/// `ltxpipe status ID`
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "One poll of a generation.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var api: APIOptions

    @Option(help: "The generation's mode (the ltx-v2 dialect needs it to build the URL).")
    var mode: GenerationMode = .textToVideo

    @Argument(help: "The generation id.")
    var id: String

    func run() async throws {
        let session: APISession
        do { session = try await APISession.open(api) } catch {
            Output.error(error.description)
            throw error.exitStatus.exitCode
        }
        let result: Result<GenerationStatus, APIError>
        do { result = .success(try await session.client().poll(id: id, mode: mode)) } catch { result = .failure(error) }
        await session.close()
        switch result {
        case .failure(let error):
            Output.error(error.description)
            throw ExitStatus.of(error).exitCode
        case .success(let status):
            if output.json {
                Output.json(status)
            } else {
                Output.line("\(status.id): \(status.state.rawValue)" + (status.videoURL.map { ", video \($0)" } ?? "")
                            + (status.cost.map { String(format: ", cost $%.2f", $0) } ?? "") + (status.failure.map { ", \($0)" } ?? ""))
            }
        }
    }
}
