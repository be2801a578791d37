import Foundation
import Hummingbird
import LTXPipeline
import Logging
import ServiceLifecycle

/// The run's read-only web view: a page that refreshes itself, the same data as JSON (`/api/jobs`, `/api/summary`)
/// and Prometheus metrics (`/metrics`), all read from the pipeline's ledger. It runs beside the pipeline, reads the
/// ledger (each kind of read) at most once a second (`DashboardSource`) and does no blocking work on Swift's pool, so
/// it never holds up a job.
///
/// ```swift
/// let source = DashboardSource(pipeline: configuration.name, ledger: session.ledger, reportsCost: true)
/// let server = try await DashboardServer.start(source: source, archive: configuration.archive, at: address, log: { print($0) })
/// print(server.url)     // http://127.0.0.1:PORT/
/// ...
/// await server.stop()
/// ```
public final class DashboardServer: Sendable {
    /// The address asked for.
    public let address: DashboardAddress
    /// The port it listens on (the one the system chose when `address.port` is 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://HOST:PORT/`.
    public var url: String { "http://\(address.urlHost):\(port)/" }

    /// Seconds a stop waits for requests in progress before closing their connections.
    public static let stopGraceSeconds = 2

    private init(address: DashboardAddress, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.address = address
        self.port = port
        self.group = group
        self.task = task
    }

    /// Binds `address` and serves `source`; returns once it listens. On a loopback address, requests must name
    /// loopback in their Host header. `log` receives what cannot be answered (a ledger that cannot be read).
    public static func start(source: DashboardSource, archive: String, at address: DashboardAddress,
                             log: @escaping @Sendable (String) -> Void) async throws(DashboardStartError) -> DashboardServer {
        var logger = Logger(label: "ltxpipe.dashboard")
        logger.logLevel = .critical
        let responder = DashboardResponder(source: source, archive: archive, loopbackOnly: address.isLoopback, log: log)
        let (ports, continuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: "ltxpipe"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        var configuration = ServiceGroupConfiguration(services: [application], logger: logger)
        configuration.gracefulShutdownSignals = []
        configuration.maximumGracefulShutdownDuration = .seconds(stopGraceSeconds)
        let group = ServiceGroup(configuration: configuration)
        let task = Task {
            do {
                try await group.run()
                continuation.finish(throwing: DashboardStartError(address: address, reason: "the server stopped before it listened"))
            } catch {
                continuation.finish(throwing: error)
                throw error
            }
        }
        do {
            var bound: Int?
            for try await port in ports {
                bound = port
                break
            }
            guard let bound, bound > 0 else { throw DashboardStartError(address: address, reason: "no port was reported") }
            return DashboardServer(address: address, port: bound, group: group, task: task)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw (error as? DashboardStartError) ?? DashboardStartError(address: address, reason: "\(error)")
        }
    }

    /// Stops listening, lets requests in progress finish (at most `stopGraceSeconds`) and returns once closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The dashboard could not listen.
public struct DashboardStartError: Error, CustomStringConvertible, Sendable {
    /// The address asked for.
    public var address: DashboardAddress
    /// What the system said.
    public var reason: String

    /// True when another process listens there already.
    public var addressInUse: Bool { reason.contains(String(cString: strerror(EADDRINUSE))) }

    /// `--http ADDRESS: cannot listen (REASON)`.
    public var description: String { "--http \(address): cannot listen (\(reason))" }
}
