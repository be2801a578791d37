import Crypto
import Foundation
import LTXAPI
import LTXSimulator
import Synchronization
import Testing
@testable import LTXPipeline

/// A pipeline in a temp folder, wired to a simulator started by the test (outside the runner).
struct PipelineLab {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipeline-tests-\(getpid())").path
    static let key = "pipeline-test-key-41ab"

    let root: String
    let server: SimulatorServer
    let base: URL
    var configuration: PipelineConfiguration
    let log = LogLines()

    var drop: String { configuration.drop }

    /// A lab with a fresh folder tree and simulator (`configure` adjusts the simulator).
    static func with(
        scale: Double = 0.002,
        dialect: DialectName = .generations,
        configure: (inout SimulatorConfiguration) -> Void = { _ in },
        pipeline: (inout PipelineConfiguration) -> Void = { _ in },
        _ body: (inout PipelineLab) async throws -> Void
    ) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)").path
        var simulator = SimulatorConfiguration(apiKey: key, fastLatency: 5...15, proLatency: 30...90, timeScale: scale, cacheDirectory: cacheDirectory)
        configure(&simulator)
        let server = SimulatorServer(configuration: simulator)
        let v1 = try await server.start()
        let base = dialect == .ltxV2 ? v1.deletingLastPathComponent() : v1
        var configuration = PipelineConfiguration(
            name: "test", file: root + "/test.yml", drop: root + "/drop", archive: root + "/archive", failed: root + "/failed",
            state: root + "/state", api: .init(base: base.absoluteString, dialect: dialect), prompt: "a pipeline default prompt",
            settleSeconds: 0, pollSeconds: 0.5
        )
        pipeline(&configuration)
        try FileManager.default.createDirectory(atPath: configuration.drop, withIntermediateDirectories: true)
        var lab = PipelineLab(root: root, server: server, base: base, configuration: configuration)
        do { try await body(&lab) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs the pipeline once (a fresh session, as a new process would) and returns the summary.
    func runOnce(key: String = PipelineLab.key, scale: Double = 0.002) async throws -> RunSummary {
        let session = try await openSession(key: key, scale: scale)
        defer { Task { await session.close() } }
        return try await session.runner.run(once: true)
    }

    /// A fresh session on the lab's pipeline, its lines going to `log`.
    func openSession(key: String = PipelineLab.key, scale: Double = 0.002) async throws -> PipelineSession {
        let lines = self.log
        let environment = ["LTX_API_KEY": key]
        return try await PipelineSession.open(configuration, environment: environment, timeScale: scale, log: { lines.append($0) })
    }

    func jobs() async throws -> [JobRecord] {
        try await Ledger(path: PipelineSession.ledgerPath(configuration)).jobs()
    }

    /// Copies a fixture into the drop folder under `name`.
    func drop(fixture: String, as name: String) throws {
        try FileManager.default.copyItem(atPath: PipelineLab.repoRoot + "/fixtures/" + fixture, toPath: drop + "/" + name)
    }

    func drop(text: String, as name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: drop + "/" + name))
    }

    func bags() -> [String] {
        BagVerifier.findBags(root: configuration.archive).sorted()
    }

    func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    static func sha256(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func bagInfo(_ bag: String) -> [String: String] {
        let text = (try? String(contentsOfFile: bag + "/bag-info.txt", encoding: .utf8)) ?? ""
        var info: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            info[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return info
    }
}

/// Log lines collected from a runner.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
