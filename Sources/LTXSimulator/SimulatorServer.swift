import Foundation
import Hummingbird
import LTXMedia
import Logging
import ServiceLifecycle
import UnixSignals

/// A local HTTP server that behaves like the LTX-2 API, for tests and demos on loopback.
///
/// ```swift
/// let server = SimulatorServer(configuration: SimulatorConfiguration(timeScale: 0.001))
/// let base = try await server.start()      // http://127.0.0.1:PORT/v1 (generations)
/// let origin = await server.origin         // http://127.0.0.1:PORT    (ltx-v2)
/// ...
/// await server.stop()
/// ```
/// One server serves both dialects at once (their routes do not collide); jobs, credits, limits, faults and the
/// video cache are shared.
public actor SimulatorServer {
    /// The configuration the server was created with.
    public nonisolated let configuration: SimulatorConfiguration

    private let logger: Logger
    private let state: SimulatorState
    private let clock: SimulatorClock
    private var startup: Task<Running, any Error>?

    private struct Running: Sendable {
        let group: ServiceGroup
        /// Runs the service group; ends when the server stops, throwing if it failed.
        let task: Task<Void, any Error>
        let baseURL: URL
        let origin: URL
    }

    /// A server that is not yet listening; `logger` defaults to one at the configuration's log level.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(), logger: Logger? = nil) {
        self.configuration = configuration
        if let logger {
            self.logger = logger
        } else {
            var logger = Logger(label: "ltx.simulator")
            logger.logLevel = configuration.logLevel
            self.logger = logger
        }
        state = SimulatorState(configuration: configuration)
        clock = SimulatorClock(timeScale: configuration.timeScale > 0 ? configuration.timeScale : 1)
    }

    /// Binds the socket and starts serving; returns the generations dialect's base URL (`http://host:port/v1`) once it
    /// is listening, whichever dialect is configured (the ltx-v2 base is ``origin``).
    /// Calling it again while running returns the same URL.
    public func start() async throws -> URL {
        try await startOnce(handlingSignals: false).baseURL
    }

    /// Runs in the foreground until SIGINT or SIGTERM, then shuts down gracefully.
    /// `onStart` gets the base URL as soon as the socket is bound.
    public func runUntilSignalled(onStart: @Sendable (URL) -> Void) async throws {
        let running = try await startOnce(handlingSignals: true)
        onStart(running.baseURL)
        defer { startup = nil }
        try await running.task.value
    }

    /// The generations base URL (`http://host:port/v1`) while running, nil otherwise.
    public var baseURL: URL? {
        get async { try? await startup?.value.baseURL }
    }

    /// `http://host:port` while running (the ltx-v2 dialect's base URL: its paths carry their own `/v1` or `/v2`),
    /// nil otherwise.
    public var origin: URL? {
        get async { try? await startup?.value.origin }
    }

    /// Stops accepting connections, lets requests in progress finish (at most a few seconds) and returns when closed.
    public func stop() async {
        guard let startup else { return }
        self.startup = nil
        guard let running = try? await startup.value else { return }
        await running.group.triggerGracefulShutdown()
        _ = try? await running.task.value
    }

    /// How long each accepted generation took to finish, in simulated seconds (for benchmarks' bounds).
    public func generationLatencies() async -> [Double] {
        await state.latencies()
    }

    /// What the server has seen so far.
    public func stats() async -> SimulatorStats {
        await state.stats()
    }

    /// Sets the account balance (USD).
    public func setCredits(_ credits: Double) async {
        await state.setCredits(credits)
    }

    /// Replaces the pending faults.
    public func setFaults(_ faults: FaultPlan) async {
        await state.setFaults(faults)
    }

    /// Moves simulated time forward by `seconds` at once: jobs finish, rate windows slide, upload URLs, uploads and
    /// finished ltx-v2 jobs age as if that time had passed, so a test can skip a 90 s latency or a 24 h lifetime without
    /// sleeping. Slow responses and synchronous generations in progress end early too.
    public func advanceTime(by seconds: Double) {
        clock.advance(by: seconds)
    }

    /// The ltx-v2 request a job was accepted with, as the simulator understood it (for this module's tests).
    func jobSpecForTests(_ id: String) async -> V2Spec? {
        await state.job(id)?.v2Spec
    }

    /// The shape a job renders (for this module's tests).
    func jobPatternForTests(_ id: String) async -> TestPattern? {
        await state.job(id)?.pattern
    }

    /// What a job's video shows and sounds like (for this module's tests).
    func jobContentForTests(_ id: String) async -> VideoContent? {
        await state.job(id)?.content
    }

    /// The faults still pending (counts go down as faults fire).
    public func faults() async -> FaultPlan {
        await state.currentFaults()
    }

    // MARK: Startup

    private func startOnce(handlingSignals: Bool) async throws -> Running {
        if let startup { return try await startup.value }
        let task = Task { try await self.launch(handlingSignals: handlingSignals) }
        startup = task
        do {
            return try await task.value
        } catch {
            startup = nil
            throw error
        }
    }

    private func launch(handlingSignals: Bool) async throws -> Running {
        try configuration.validate()
        let cacheDirectory = configuration.resolvedCacheDirectory
        do {
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        } catch {
            throw SimulatorServerError.cacheDirectoryUnavailable(path: cacheDirectory, reason: error.localizedDescription)
        }
        let environment = SimulatorEnvironment(
            configuration: configuration, clock: clock, state: state, renderer: .shared, cacheDirectory: cacheDirectory)
        let generations = GenerationsDialect()
        let ltxV2 = LTXV2Dialect()
        let fallback: any SimulatorDialect
        switch configuration.dialect {
        case .generations: fallback = generations
        case .ltxV2: fallback = ltxV2
        }
        // ltx-v2 first: it claims a few /v1 paths (upload, the synchronous modes) inside the generations prefix.
        let dialects = SimulatorDialects(members: [ltxV2, generations, FalDialect(), ReplicateDialect(), WaveSpeedDialect(), APIFreeDialect(),
                                                     ComfyUIDialect()], fallback: fallback)
        let router = Self.makeRouter(dialects: dialects, environment: environment, logger: logger)
        let basePath = generations.basePath

        let (ports, continuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: logger)
        groupConfiguration.gracefulShutdownSignals = handlingSignals ? [.sigterm, .sigint] : []
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        let address = "\(configuration.host):\(configuration.port)"
        let runTask = Task {
            do {
                try await group.run()
                continuation.finish(throwing: SimulatorServerError.cannotListen(address: address, reason: "the server stopped before listening"))
            } catch {
                // Before listening this fails start(); afterwards it is what runUntilSignalled throws.
                continuation.finish(throwing: error)
                throw error
            }
        }

        let port: Int
        do {
            var bound: Int?
            for try await value in ports {
                bound = value
                break
            }
            guard let bound, bound > 0 else {
                throw SimulatorServerError.cannotListen(address: address, reason: "no port was reported")
            }
            port = bound
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await runTask.value
            if let error = error as? SimulatorServerError { throw error }
            throw SimulatorServerError.cannotListen(address: address, reason: "\(error)")
        }
        let origin = "http://\(Self.urlHost(configuration.host)):\(port)"
        await state.setOrigin(origin)
        guard let baseURL = URL(string: origin + basePath), let originURL = URL(string: origin) else {
            await group.triggerGracefulShutdown()
            _ = try? await runTask.value
            throw SimulatorServerError.cannotListen(address: address, reason: "\(origin) is not a valid URL")
        }
        logger.info("LTX simulator listening on \(origin) (generations base \(baseURL.absoluteString), ltx-v2 base \(origin); fal, replicate, wavespeed, apifree and comfyui under \(origin)/fal, /replicate, /wavespeed, /apifree, /comfyui)")
        return Running(group: group, task: runTask, baseURL: baseURL, origin: originURL)
    }

    private static func makeRouter(
        dialects: SimulatorDialects, environment: SimulatorEnvironment, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Middleware first: it only wraps routes added after it (and the not-found responder).
        router.add(middleware: SimulatorGateway(dialects: dialects, environment: environment, logger: logger))
        for dialect in dialects.members {
            dialect.addRoutes(to: router, environment: environment)
        }
        DownloadRoute.add(to: router, environment: environment)
        ControlRoutes.add(to: router, environment: environment)
        return router
    }

    /// The host to put in URLs: wildcard binds are reached on loopback, IPv6 literals get brackets.
    private static func urlHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::": return "[::1]"
        default: return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}
