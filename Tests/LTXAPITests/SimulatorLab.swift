import Testing
import Synchronization
import Crypto
import Foundation
import LTXCore
import LTXSimulator
@testable import LTXAPI

/// A simulator plus a client wired to it, for one test.
struct SimulatorLab {
    /// Render cache shared by every test in this process, so each video shape renders once.
    static let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ltxapi-tests-\(getpid())").path

    let server: SimulatorServer
    let base: URL
    let client: GenerationClient
    let events: EventLog
    let directory: String

    /// Starts a simulator configured by `configure` and a client with key `key` (default: the simulator's).
    static func with(
        scale: Double = 0.001,
        key: String? = nil,
        limits: RateGovernor.Limits = .standard,
        dialect: any Dialect = GenerationsDialect(),
        configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (SimulatorLab) async throws -> Void
    ) async throws {
        var configuration = SimulatorConfiguration(
            apiKey: "test-key-7f3a9c", fastLatency: 0...0, proLatency: 0...0, timeScale: scale, cacheDirectory: cacheDirectory
        )
        configure(&configuration)
        let server = SimulatorServer(configuration: configuration)
        let v1 = try await server.start()
        let base = URL(string: dialect.dialectName.base(fromV1: v1.absoluteString)) ?? v1
        let clock = PipelineClock(scale: scale)
        let events = EventLog()
        let client = GenerationClient(
            base: base, apiKey: key ?? configuration.apiKey, dialect: dialect,
            governor: RateGovernor(limits: limits, clock: clock), clock: clock,
            // A ceiling of nominal seconds, not a real-time bound: at a scale of 0.001 the default hour lasts 3.6 real
            // seconds, which a loaded machine's first render can exceed; this one lasts minutes at any scale used here.
            downloader: Downloader(), maxWait: 600_000 / max(scale * 1000, 1), observer: { events.append($0) }
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ltxapi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lab = SimulatorLab(server: server, base: base, client: client, events: events, directory: directory)
        do { try await body(lab) } catch {
            await server.stop()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        await server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let textToVideo = GenerationParameters(mode: .textToVideo, prompt: "a red kite over the sea", model: "ltx-2-fast")

    static func sha256(ofFile path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Every event the client reported, in order.
final class EventLog: Sendable {
    private let storage = Mutex<[ClientEvent]>([])

    func append(_ event: ClientEvent) { storage.withLock { $0.append(event) } }

    var all: [ClientEvent] { storage.withLock { $0 } }

    var waits: [Double] {
        all.compactMap { if case .waiting(let seconds, _) = $0 { return seconds } else { return nil } }
    }

    var calls: [APICallRecord] {
        all.compactMap { if case .call(let record) = $0 { return record } else { return nil } }
    }

    /// Everything the events would print, for leak checks.
    var transcript: String { all.map { String(describing: $0) }.joined(separator: "\n") }
}

/// The `APIError` `body` throws, or nil (recording an issue) when it succeeds or throws something else.
func apiError<T>(_ what: String, _ body: () async throws -> T) async -> APIError? {
    do {
        _ = try await body()
        Issue.record("\(what) succeeded")
        return nil
    } catch let error as APIError {
        return error
    } catch {
        Issue.record("\(what) threw \(error)")
        return nil
    }
}

/// The `HTTPError` `body` throws, or nil (recording an issue).
func httpError<T>(_ what: String, _ body: () async throws -> T) async -> HTTPError? {
    do {
        _ = try await body()
        Issue.record("\(what) succeeded")
        return nil
    } catch let error as HTTPError {
        return error
    } catch {
        Issue.record("\(what) threw \(error)")
        return nil
    }
}
