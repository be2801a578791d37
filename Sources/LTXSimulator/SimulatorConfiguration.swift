import Foundation
import Logging

/// Everything a ``SimulatorServer`` is started with.
///
/// Times are in *simulated* seconds: simulated seconds × ``timeScale`` = real seconds, so a test can set
/// `timeScale = 0.001` and have a 60 s rate window pass in 60 ms. Retry-After headers also state simulated seconds.
public struct SimulatorConfiguration: Sendable {
    /// The API key every `/v1` and `/v2` request must present as `Authorization: Bearer <key>`.
    public var apiKey: String
    /// The address to bind (loopback by default).
    public var host: String
    /// The TCP port to bind; 0 picks a free ephemeral port (read it from ``SimulatorServer/start()``'s URL).
    public var port: Int
    /// The dialect clients are expected to speak. Both dialects are always served (their routes do not collide);
    /// this one decides the error body of paths neither owns (`/files/...`, unknown roots) and which base URL
    /// `ltxpipe simulate` prints.
    public var dialect: SimulatorDialectName
    /// How long a fast-model generation (`ltx-2-fast`, `ltx-2-3-fast`, `ltx-2-5-fast`) takes, drawn uniformly from this range (simulated seconds).
    public var fastLatency: ClosedRange<Double>
    /// How long a pro-model generation (`ltx-2-pro`, `ltx-2-3-pro`, `ltx-2-5-pro`) takes, drawn uniformly from this range (simulated seconds).
    public var proLatency: ClosedRange<Double>
    /// Real seconds per simulated second (1 = real time; must be positive).
    public var timeScale: Double
    /// Most API (`/v1`, `/v2`) requests handled at once; one more is answered 429 with `Retry-After: 1`. 0 or less turns the limit off.
    public var concurrencyLimit: Int
    /// Most API requests accepted inside any rolling window of ``windowSeconds``. 0 or less turns the limit off.
    public var requestsPerWindow: Int
    /// Length of the rolling rate window (simulated seconds).
    public var windowSeconds: Double
    /// The account's starting balance in USD.
    public var credits: Double
    /// Faults to inject from the start (change them later with ``SimulatorServer/setFaults(_:)``).
    public var faults: FaultPlan
    /// Where rendered test videos are cached, one file per shape; `nil` uses a folder in the system temporary directory.
    public var cacheDirectory: String?
    /// Seed for the random generator that draws latencies, so a run is repeatable.
    public var seed: UInt64
    /// Start rendering a job's video as soon as it is accepted, so the download is ready when the job completes.
    /// When false, the video is rendered on its first download (cheaper for tests that never download).
    public var renderOnAccept: Bool
    /// ltx-v2: how long a job's status and video stay available after it finished (simulated seconds); later polls
    /// and downloads answer 404.
    public var jobLifetime: Double
    /// Replicate: how long a prediction's output stays downloadable after it finished (simulated seconds; Replicate's
    /// documented hour unless a test lengthens it to keep a loaded machine from expiring outputs mid-run).
    public var replicateOutputLifetime: Double = 3_600
    /// ltx-v2: how long an upload URL from `POST /v1/upload` accepts its `PUT` (simulated seconds after it was issued).
    public var uploadURLLifetime: Double
    /// ltx-v2: how long an uploaded file can be used as `ltx://uploads/...` (simulated seconds after its URL was issued).
    public var uploadLifetime: Double
    /// ltx-v2: the length assumed for audio given as an `https://` URL (the simulator never fetches it), in seconds.
    public var assumedRemoteAudioSeconds: Double
    /// Level of the server's own log messages (one line per request at `.info`).
    public var logLevel: Logger.Level
    /// ltx-v2: most generations the account runs at once, counted from an accepted submit until the job completes or
    /// fails; one more submit is answered 429 `concurrency_limit_error` with `Retry-After` (the seconds until the
    /// first running one ends). 0 or less turns the limit off. The generations dialect has no such limit.
    public var concurrentGenerations: Int
    /// ltx-v2: what jobs cost; a price missing from it is unknown (the job is charged nothing and counted as unpriced).
    public var ltxV2Prices: LTXV2PriceList
    /// ltx-v2: the status an accepted upload `PUT` answers, 200 or 201 (the fault ``FaultPlan/uploadPutCreated``
    /// makes single ones 201).
    public var uploadPutStatus: Int

    /// A configuration with the reference's standard tier: 10 in flight, 100 requests per 60 s, $100 of credits.
    public init(
        apiKey: String = "sim-key",
        host: String = "127.0.0.1",
        port: Int = 0,
        dialect: SimulatorDialectName = .generations,
        fastLatency: ClosedRange<Double> = 5...15,
        proLatency: ClosedRange<Double> = 30...90,
        timeScale: Double = 1.0,
        concurrencyLimit: Int = 10,
        requestsPerWindow: Int = 100,
        windowSeconds: Double = 60,
        credits: Double = 100.0,
        faults: FaultPlan = FaultPlan(),
        cacheDirectory: String? = nil,
        seed: UInt64 = 2_024,
        renderOnAccept: Bool = true,
        jobLifetime: Double = 86_400,
        uploadURLLifetime: Double = 3_600,
        uploadLifetime: Double = 86_400,
        assumedRemoteAudioSeconds: Double = 8,
        logLevel: Logger.Level = .warning,
        concurrentGenerations: Int = 2,
        ltxV2Prices: LTXV2PriceList = .facts,
        uploadPutStatus: Int = 200
    ) {
        self.concurrentGenerations = concurrentGenerations
        self.ltxV2Prices = ltxV2Prices
        self.uploadPutStatus = uploadPutStatus
        self.apiKey = apiKey
        self.host = host
        self.port = port
        self.dialect = dialect
        self.fastLatency = fastLatency
        self.proLatency = proLatency
        self.timeScale = timeScale
        self.concurrencyLimit = concurrencyLimit
        self.requestsPerWindow = requestsPerWindow
        self.windowSeconds = windowSeconds
        self.credits = credits
        self.faults = faults
        self.cacheDirectory = cacheDirectory
        self.seed = seed
        self.renderOnAccept = renderOnAccept
        self.jobLifetime = jobLifetime
        self.uploadURLLifetime = uploadURLLifetime
        self.uploadLifetime = uploadLifetime
        self.assumedRemoteAudioSeconds = assumedRemoteAudioSeconds
        self.logLevel = logLevel
    }

    /// The cache folder actually used: ``cacheDirectory`` or `<tmp>/ltx-simulator-cache`.
    public var resolvedCacheDirectory: String {
        if let cacheDirectory, !cacheDirectory.isEmpty { return cacheDirectory }
        return FileManager.default.temporaryDirectory.appendingPathComponent("ltx-simulator-cache", isDirectory: true).path
    }

    /// Checks the values a server cannot run with, naming the setting and what would work.
    public func validate() throws(SimulatorServerError) {
        func bad(_ text: String) -> SimulatorServerError { .invalidConfiguration(text) }
        if apiKey.isEmpty { throw bad("apiKey must not be empty") }
        if !(0...65_535).contains(port) { throw bad("port \(port) is outside 0-65535 (0 picks a free port)") }
        if !(timeScale > 0) || !timeScale.isFinite { throw bad("timeScale must be a positive number, got \(timeScale)") }
        if !(replicateOutputLifetime > 0) { throw bad("replicateOutputLifetime must be a positive number of seconds, got \(replicateOutputLifetime)") }
        for (name, range) in [("fastLatency", fastLatency), ("proLatency", proLatency)] {
            if range.lowerBound < 0 || !range.upperBound.isFinite {
                throw bad("\(name) must be a finite range of non-negative seconds, got \(range)")
            }
        }
        if requestsPerWindow > 0, !(windowSeconds > 0) || !windowSeconds.isFinite {
            throw bad("windowSeconds must be positive when requestsPerWindow is set, got \(windowSeconds)")
        }
        if !(credits >= 0) || !credits.isFinite { throw bad("credits must be zero or more, got \(credits)") }
        for (name, value) in [
            ("jobLifetime", jobLifetime), ("uploadURLLifetime", uploadURLLifetime), ("uploadLifetime", uploadLifetime),
            ("assumedRemoteAudioSeconds", assumedRemoteAudioSeconds),
        ] where !(value > 0) || !value.isFinite {
            throw bad("\(name) must be a positive number of seconds, got \(value)")
        }
        if uploadPutStatus != 200, uploadPutStatus != 201 {
            throw bad("uploadPutStatus must be 200 or 201, got \(uploadPutStatus)")
        }
        for (model, tiers) in ltxV2Prices.perSecond {
            for (tier, price) in tiers where !(price >= 0) || !price.isFinite {
                throw bad("ltxV2Prices \(model) \(tier) must be zero or more USD per second, got \(price)")
            }
        }
        for (model, price) in ltxV2Prices.audioToVideoPerSecond where !(price >= 0) || !price.isFinite {
            throw bad("ltxV2Prices audio-to-video \(model) must be zero or more USD per second, got \(price)")
        }
        if !(faults.slowResponses >= 0) || !faults.slowResponses.isFinite {
            throw bad("faults.slowResponses must be zero or more seconds, got \(faults.slowResponses)")
        }
    }

    /// Parses a latency range written `LO-HI` (e.g. `5-15`, `0.5-2`) or a single number `N` (meaning `N-N`).
    public static func parseLatency(_ text: String) throws(SimulatorServerError) -> ClosedRange<Double> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap(Double.init)
        guard numbers.count == parts.count, (1...2).contains(numbers.count), let low = numbers.first, let high = numbers.last,
              low >= 0, low <= high, high.isFinite else {
            throw .invalidConfiguration("latency \"\(text)\" must be LO-HI in seconds with 0 ≤ LO ≤ HI, e.g. 5-15")
        }
        return low...high
    }
}

/// The wire protocols the simulator can serve.
public enum SimulatorDialectName: String, Sendable, CaseIterable, Codable {
    /// `POST /v1/generations/{mode}`, `GET /v1/generations/{id}` (ltx-2-api-reference.md); base URL `…/v1`.
    case generations
    /// `POST /v2/{mode}` → 202, `GET /v2/{mode}/{id}`, `POST /v1/upload`, sync `POST /v1/{mode}`
    /// (ltx-api-v2-facts.md); base URL is the origin, without `/v1`.
    case ltxV2 = "ltx-v2"
}
