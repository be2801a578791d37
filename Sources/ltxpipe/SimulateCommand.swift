import ArgumentParser
import Foundation
import LTXSimulator
import Logging

/// `ltxpipe simulate`: the local LTX-2 API simulator in the foreground (base URL on stdout, logs on stderr).
/// Both dialects are always served; `--dialect` picks the base URL printed (`…/v1` for generations, the origin for ltx-v2).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the local LTX-2 API simulator until SIGINT or SIGTERM.",
        discussion: """
            Times are simulated seconds; real seconds = simulated × --time-scale. Both dialects are served at once; \
            the printed base URL is the one of --dialect (ltx-v2: the origin, without /v1). Point clients at it.
            """
    )

    @Option(help: "TCP port to listen on (0 picks a free one).") var port = 0
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Wire protocol: \(SimulatorDialectName.allCases.map(\.rawValue).joined(separator: ", ")).") var dialect = "generations"
    @Option(help: "API key clients must send as a Bearer token.") var key = "sim-key"
    @Option(help: "Real seconds per simulated second (e.g. 0.01 runs 100× faster).") var timeScale = 1.0
    @Option(help: "Starting credit balance in USD.") var credits = 100.0
    @Option(help: "ltx-2-fast latency range LO-HI in seconds.") var latencyFast = "5-15"
    @Option(help: "ltx-2-pro latency range LO-HI in seconds.") var latencyPro = "30-90"
    @Option(help: "Most requests in flight (0: no limit).") var concurrency = 10
    @Option(help: "Most requests per window (0: no limit).") var requestsPerWindow = 100
    @Option(help: "Rate window in seconds.") var windowSeconds = 60.0
    @Option(help: "Folder for cached test videos (default: a temporary folder).") var cacheDir: String?
    @Option(help: "Seed for the latency draws.") var seed: UInt64 = 2_024
    @Option(help: "The next N jobs render one frame too many.") var faultWrongFrameCount = 0
    @Option(help: "The next N jobs render at 24 fps.") var faultWrongFps = 0
    @Option(help: "The next N downloads stop half way.") var faultTruncatedDownloads = 0
    @Option(help: "The next N submits are charged, then the connection drops.") var faultResetAfterSubmit = 0
    @Option(help: "STATUSxCOUNT: the next COUNT requests answer 500, 503, 504 or 529, e.g. 503x3.") var faultErrorBurst: String?
    @Option(help: "Delay every poll by this many seconds.") var faultSlowResponses = 0.0
    @Option(help: "The next N jobs end failed.") var faultFailedGenerations = 0
    @Option(help: "The next N ltx-v2 submits are refused by the safety filter (422).") var faultContentFiltered = 0
    @Option(help: "ltx-v2: the next N submits get a 413 with a non-JSON body, as a proxy sends.") var faultProxyTooLarge = 0
    @Option(help: "ltx-v2: the next N upload PUTs answer 201 instead of 200.") var faultUploadPutCreated = 0
    @Option(help: "The next N jobs end failed by the safety filter (content_filtered_error).") var faultFilteredGenerations = 0
    @Option(help: "The next N jobs render black frames (per job: [sim:black] in the prompt).") var faultBlackVideos = 0
    @Option(help: "The next N jobs render one frozen picture (per job: [sim:frozen]).") var faultFrozenVideos = 0
    @Option(help: "The next N jobs with a start image start from another picture (per job: [sim:other-image]).") var faultWrongStartImages = 0
    @Option(help: "The next N jobs with audio get a silent track (per job: [sim:silent]).") var faultSilentAudio = 0
    @Option(help: "The next N jobs with audio get another soundtrack (per job: [sim:other-audio]).") var faultWrongSoundtracks = 0
    @Option(help: "ltx-v2: most generations running at once per account (0: no limit).") var generations = 2
    @Option(help: "ltx-v2: status of an accepted upload PUT, 200 or 201.") var uploadPutStatus = 200
    @Option(help: "ltx-v2: seconds a finished job's status and video stay available.") var jobLifetime = 86_400.0
    @Option(help: "ltx-v2: seconds assumed for audio given as an https:// URL.") var assumedRemoteAudioSeconds = 8.0
    @Flag(help: "Log every request at debug level.") var verbose = false

    func run() async throws {
        let (server, printsOrigin) = try makeServer()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        do {
            try await server.runUntilSignalled { url in Output.line(printsOrigin ? Self.origin(of: url) : url.absoluteString) }
        } catch {
            Output.error("\(error)")
            throw ExitStatus.account.exitCode
        }
    }

    /// `http://host:port` from the generations base `http://host:port/v1`.
    static func origin(of base: URL) -> String {
        var text = base.absoluteString
        if text.hasSuffix("/v1") { text.removeLast(3) }
        return text
    }

    /// The simulator the options describe, and whether its printed base is the origin (ltx-v2). The configuration,
    /// which holds the key, stays in here: `run` writes lines and only sees the built server.
    private func makeServer() throws(ValidationError) -> (server: SimulatorServer, printsOrigin: Bool) {
        let configuration: SimulatorConfiguration
        do {
            configuration = try makeConfiguration()
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return (SimulatorServer(configuration: configuration), configuration.dialect == .ltxV2)
    }

    private func makeConfiguration() throws(SimulatorServerError) -> SimulatorConfiguration {
        guard let dialectName = SimulatorDialectName(rawValue: dialect) else {
            throw .invalidConfiguration("unknown dialect \(dialect); use \(SimulatorDialectName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let faults = FaultPlan(
            wrongFrameCount: faultWrongFrameCount, wrongFPS: faultWrongFps, truncatedDownloads: faultTruncatedDownloads,
            resetAfterSubmit: faultResetAfterSubmit, errorBurst: try faultErrorBurst.map { text throws(SimulatorServerError) in try FaultPlan.ErrorBurst(parsing: text) },
            slowResponses: faultSlowResponses, failedGenerations: faultFailedGenerations, contentFiltered: faultContentFiltered,
            proxyTooLarge: faultProxyTooLarge, uploadPutCreated: faultUploadPutCreated, filteredGenerations: faultFilteredGenerations,
            blackVideos: faultBlackVideos, frozenVideos: faultFrozenVideos, wrongStartImages: faultWrongStartImages,
            silentAudio: faultSilentAudio, wrongSoundtracks: faultWrongSoundtracks)
        return SimulatorConfiguration(
            apiKey: key, host: host, port: port, dialect: dialectName,
            fastLatency: try SimulatorConfiguration.parseLatency(latencyFast),
            proLatency: try SimulatorConfiguration.parseLatency(latencyPro),
            timeScale: timeScale, concurrencyLimit: concurrency, requestsPerWindow: requestsPerWindow, windowSeconds: windowSeconds,
            credits: credits, faults: faults, cacheDirectory: cacheDir, seed: seed, jobLifetime: jobLifetime,
            assumedRemoteAudioSeconds: assumedRemoteAudioSeconds, logLevel: verbose ? .debug : .info,
            concurrentGenerations: generations, uploadPutStatus: uploadPutStatus)
    }
}
