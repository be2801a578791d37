// Benchmarks that need the library from inside a process: the streaming downloader and the
// scheduling of many jobs under the rate limits. Run by Benchmarks/run.sh (make bench).
import Foundation
import LTXAPI
import LTXCore
import LTXPipeline
import LTXSimulator

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func printJSON(_ object: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}

/// `download URL PATH`: the library's downloader, SHA-256 while streaming.
func benchDownload(_ url: String, _ path: String) async {
    guard let link = URL(string: url) else { print("bad URL"); exit(2) }
    try? FileManager.default.removeItem(atPath: path)
    let start = Date()
    do {
        let file = try await Downloader().download(from: link, to: path)
        let seconds = Date().timeIntervalSince(start)
        printJSON(["seconds": seconds, "bytes": file.size, "sha256": file.sha256,
                   "mb_per_second": Double(file.size) / 1e6 / seconds, "peak_rss_mb": peakRSSMegabytes()])
    } catch {
        print("download failed: \(error)")
        exit(1)
    }
}

/// `schedule JOBS SCALE`: JOBS fast-model generations against the simulator with realistic (time-scaled) latency.
func benchSchedule(jobs: Int, scale: Double) async {
    let simulator = SimulatorServer(configuration: SimulatorConfiguration(timeScale: scale, credits: 1_000_000))
    let base: URL
    do { base = try await simulator.start() } catch { print("simulator failed: \(error)"); exit(1) }
    let clock = PipelineClock(scale: scale)
    let governor = RateGovernor(limits: .standard, clock: clock)
    let client = GenerationClient(base: base, apiKey: "sim-key", governor: governor, clock: clock)
    let parameters = GenerationParameters(mode: .textToVideo, prompt: "bench", model: "ltx-2-fast")
    let started = clock.now()
    var failures = 0
    await withTaskGroup(of: Bool.self) { group in
        for i in 0..<jobs {
            group.addTask {
                var p = parameters
                p.prompt = "bench \(i)"
                do {
                    let submitted = try await client.submit(p)
                    _ = try await client.waitForCompletion(submitted, parameters: p, submittedAt: clock.now())
                    return true
                } catch {
                    return false
                }
            }
        }
        for await ok in group where !ok { failures += 1 }
    }
    let elapsed = clock.now() - started
    let stats = await simulator.stats()
    await simulator.stop()
    let (requests, _) = await governor.counters()
    let limits = RateGovernor.Limits.standard
    let minimumRequests = 2 * jobs
    let windowBound = limits.windowSeconds * Double((minimumRequests + limits.requestsPerWindow - 1) / limits.requestsPerWindow - 1)
    let latencyBound = 15.0
    let lowerBound = max(windowBound, latencyBound)
    printJSON([
        "jobs": jobs, "failures": failures, "elapsed_nominal_s": elapsed, "lower_bound_s": lowerBound,
        "ratio": elapsed / lowerBound, "requests": requests, "requests_per_job": Double(requests) / Double(jobs),
        "rate_limited_429": stats.rateLimited, "peak_in_flight": stats.peakInFlight, "max_in_window": stats.maxRequestsInWindow,
    ])
}

/// `overhead K [deep]`: K single-job runs, one after another (no queueing): the pipeline's own time per job —
/// claim, classify, preflight, verify, contact sheet and poster, bag — i.e. everything but the API calls and the
/// download. Quick verification unless `deep` (the pipeline's default: every frame decoded, with content checks).
func benchOverhead(runs: Int, deep: Bool = false) async {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-overhead-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let simulator = SimulatorServer(configuration: SimulatorConfiguration(fastLatency: 0...0, credits: 1_000_000))
    let base: URL
    do { base = try await simulator.start() } catch { print("simulator failed: \(error)"); exit(1) }
    _ = try? await GenerationClient(base: base, apiKey: "sim-key").submit(GenerationParameters(mode: .textToVideo, prompt: "warm-up"))
    let configuration = PipelineConfiguration(
        name: "overhead", file: root + "/o.yml", drop: root + "/drop", archive: root + "/archive", failed: root + "/failed",
        state: root + "/state", api: .init(base: base.absoluteString),
        verify: deep ? .init() : .init(mode: .quick, content: nil),
        settleSeconds: 0, pollSeconds: 0.01
    )
    try? FileManager.default.createDirectory(atPath: configuration.drop, withIntermediateDirectories: true)
    var overheads: [Double] = []
    var stages: [String: [Double]] = [:]
    for i in 0..<runs {
        _ = FileManager.default.createFile(atPath: configuration.drop + "/one\(i).txt", contents: Data("overhead prompt \(i)".utf8))
        guard let session = try? await PipelineSession.open(configuration, environment: ["LTX_API_KEY": "sim-key"], timeScale: 1, log: { _ in }) else { exit(1) }
        _ = try? await session.runner.run(once: true)
        if let job = try? await session.ledger.jobs().last, let events = try? await session.ledger.events(for: job.id) {
            func time(_ stage: JobStage, _ outcome: String = "ok") -> Date? { events.first { $0.stage == stage && $0.outcome == outcome }?.at }
            if let detected = time(.detect), let preflighted = time(.preflight), let downloaded = time(.download), let archived = time(.archive) {
                overheads.append(preflighted.timeIntervalSince(detected) + archived.timeIntervalSince(downloaded))
            }
            for (a, b) in zip(events, events.dropFirst()) {
                stages["\(b.stage)/\(b.outcome)", default: []].append(b.at.timeIntervalSince(a.at) * 1000)
            }
        }
        await session.close()
    }
    for (name, values) in stages.sorted(by: { $0.key < $1.key }) {
        let sorted = values.sorted()
        FileHandle.standardError.write(Data("  \(name): median \(Int(sorted[sorted.count / 2])) ms\n".utf8))
    }
    await simulator.stop()
    overheads.sort()
    printJSON([
        "runs": overheads.count, "overhead_median_ms": (overheads.isEmpty ? 0 : overheads[overheads.count / 2]) * 1000,
        "overhead_max_ms": (overheads.last ?? 0) * 1000, "verify": deep ? "deep" : "quick",
        "archive_median_ms": stages["archive/ok"].map { $0.sorted()[$0.count / 2] } ?? 0,
        "verify_median_ms": stages["verify/ok"].map { $0.sorted()[$0.count / 2] } ?? 0,
    ])
}

/// `ingest N`: N small text drops through the whole pipeline against a zero-latency simulator.
func benchIngest(count: Int) async {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-ingest-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let simulator = SimulatorServer(configuration: SimulatorConfiguration(
        fastLatency: 0...0, timeScale: 1, concurrencyLimit: 10, requestsPerWindow: 1_000_000, credits: 1_000_000
    ))
    let base: URL
    do { base = try await simulator.start() } catch { print("simulator failed: \(error)"); exit(1) }
    let configuration = PipelineConfiguration(
        name: "ingest", file: root + "/ingest.yml", drop: root + "/drop", archive: root + "/archive", failed: root + "/failed",
        state: root + "/state",
        api: .init(base: base.absoluteString, limits: .init(inFlight: 10, requestsPerWindow: 1_000_000, windowSeconds: 60)),
        verify: .init(mode: .quick, content: nil),  // ingest throughput, measured with quick verification
        settleSeconds: 0, pollSeconds: 0.05
    )
    try? FileManager.default.createDirectory(atPath: configuration.drop, withIntermediateDirectories: true)
    for i in 0..<count {
        _ = FileManager.default.createFile(atPath: configuration.drop + "/clip\(i).txt", contents: Data("ingest benchmark prompt \(i)".utf8))
    }
    // Warm the simulator's render cache so the first job does not pay for the render.
    _ = try? await GenerationClient(base: base, apiKey: "sim-key").submit(GenerationParameters(mode: .textToVideo, prompt: "warm-up"))
    let session: PipelineSession
    do { session = try await PipelineSession.open(configuration, environment: ["LTX_API_KEY": "sim-key"], timeScale: 1, log: { _ in }) } catch {
        print("cannot open pipeline: \(error)"); exit(1)
    }
    let started = Date()
    let summary: RunSummary
    do { summary = try await session.runner.run(once: true) } catch { print("run failed: \(error)"); exit(1) }
    let seconds = Date().timeIntervalSince(started)
    var overheads: [Double] = []
    if let jobs = try? await session.ledger.jobs() {
        for job in jobs {
            guard let events = try? await session.ledger.events(for: job.id) else { continue }
            func time(_ stage: JobStage, _ outcome: String = "ok") -> Date? { events.first { $0.stage == stage && $0.outcome == outcome }?.at }
            guard let detected = time(.detect), let preflighted = time(.preflight), let downloaded = time(.download), let archived = time(.archive) else { continue }
            overheads.append(preflighted.timeIntervalSince(detected) + archived.timeIntervalSince(downloaded))
        }
    }
    await session.close()
    await simulator.stop()
    overheads.sort()
    let median = overheads.isEmpty ? 0 : overheads[overheads.count / 2]
    let p95 = overheads.isEmpty ? 0 : overheads[min(overheads.count - 1, overheads.count * 95 / 100)]
    printJSON([
        "jobs": count, "archived": summary.archived, "failed": summary.failed, "held": summary.held, "seconds": seconds,
        "jobs_per_second": Double(summary.archived) / seconds, "peak_rss_mb": peakRSSMegabytes(),
        "overhead_median_ms": median * 1000, "overhead_p95_ms": p95 * 1000,
    ])
}

/// `runner DIALECT JOBS SCALE`: JOBS text drops through the pipeline runner against the simulator, latency 5 s ± 50 %
/// (time-scaled). ltx-v2: 2 concurrent generations; bound max(Σ latency / 2, max latency). generations: 10 in flight,
/// 100 requests per 10 s; bound max(2 requests per job at the window's rate, the last submit's earliest start plus
/// its latency). Both must show zero 429s.
func benchRunner(dialect: DialectName, jobs: Int, scale: Double) async {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-runner-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let v2 = dialect == .ltxV2
    let limits = v2 ? RateGovernor.Limits(generations: 2, inFlight: 10, requestsPerWindow: 100, windowSeconds: 60)
                    : RateGovernor.Limits(generations: nil, inFlight: 10, requestsPerWindow: 100, windowSeconds: 10)
    let simulator = SimulatorServer(configuration: SimulatorConfiguration(
        fastLatency: 2.5...7.5, timeScale: scale, concurrencyLimit: limits.inFlight, requestsPerWindow: limits.requestsPerWindow,
        windowSeconds: limits.windowSeconds, credits: 1_000_000, concurrentGenerations: v2 ? 2 : 1_000
    ))
    let v1: URL
    do { v1 = try await simulator.start() } catch { print("simulator failed: \(error)"); exit(1) }
    guard let base = URL(string: dialect.base(fromV1: v1.absoluteString)) else { exit(1) }
    let configuration = PipelineConfiguration(
        name: "runner", file: root + "/runner.yml", drop: root + "/drop", archive: root + "/archive", failed: root + "/failed",
        state: root + "/state", api: .init(base: base.absoluteString, dialect: dialect, limits: limits),
        defaults: .init(model: v2 ? "ltx-2-3-fast" : "ltx-2-fast"),
        // Quick verification: this figure is the runner's scheduling against the service's limits. Deep verification
        // with content checks (the pipeline's default) costs what `verify --deep` costs, measured in its own rows; 100
        // 1080p decodes on 2 cores would make this row a measure of the CPU instead.
        verify: .init(mode: .quick, content: nil), settleSeconds: 0, pollSeconds: 0.05
    )
    try? FileManager.default.createDirectory(atPath: configuration.drop, withIntermediateDirectories: true)
    for i in 0..<jobs {
        _ = FileManager.default.createFile(atPath: configuration.drop + "/clip\(i).txt", contents: Data("runner benchmark prompt \(i)".utf8))
    }
    let endpoint = APIEndpoint(base: base, apiKey: "sim-key", dialect: dialect, timeScale: scale)
    let clock = PipelineClock(scale: scale)
    let session: PipelineSession
    do { session = try await PipelineSession.open(configuration, endpoint: endpoint, clock: clock, log: { _ in }) } catch {
        print("cannot open pipeline: \(error)"); exit(1)
    }
    let started = clock.now()
    let summary: RunSummary
    do { summary = try await session.runner.run(once: true) } catch { print("run failed: \(error)"); exit(1) }
    let makespan = clock.now() - started
    let stats = await simulator.stats()
    let latencies = await simulator.generationLatencies()
    await simulator.stop()
    let requests = stats.requests.submit + stats.requests.poll
    let bound: Double
    if v2 {
        bound = max(latencies.reduce(0, +) / 2, latencies.max() ?? 0)
    } else {
        let rate = Double(limits.requestsPerWindow) / limits.windowSeconds
        bound = max(Double(2 * jobs) / rate, Double(jobs - 1) / rate + (latencies.max() ?? 0))
    }
    printJSON([
        "dialect": dialect.rawValue, "jobs": jobs, "archived": summary.archived, "failed": summary.failed, "held": summary.held,
        "makespan_nominal_s": makespan, "bound_s": bound, "ratio": makespan / bound,
        "requests_per_job": Double(requests) / Double(max(1, jobs)), "polls_per_job": Double(stats.requests.poll) / Double(max(1, jobs)),
        "rate_limited_429": stats.rateLimited, "concurrency_limited_429": stats.concurrencyLimited,
        "peak_concurrent_generations": stats.peakConcurrentGenerations,
    ])
}

/// `mixed JOBS SCALE`: JOBS text drops spread round-robin over every provider (ltx-v2, fal, replicate, wavespeed,
/// apifree; each a simulator of its own, 2 generations at once, latency 5 s ± 50 %, time-scaled), each job's sidecar
/// naming its provider and a request that provider serves. The bound is the slowest provider's max(Σ latency / 2,
/// longest latency); the capacity is the sum of the providers' limits (2 generations each over the mean latency),
/// in jobs per minute.
func benchMixed(jobs: Int, scale: Double) async {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-mixed-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let limits = RateGovernor.Limits(generations: 2, inFlight: 10, requestsPerWindow: 100, windowSeconds: 60)
    let providers: [(name: DialectName, sidecar: String)] = [
        (.ltxV2, #""model": "ltx-2-3-fast", "fps": 25"#), (.fal, #""model": "ltx-2-3-fast", "fps": 25"#),
        (.replicate, #""model": "ltx-2-3-fast", "fps": 25"#), (.wavespeed, #""model": "ltx-2-fast", "fps": 25"#),
        (.apifree, #""model": "ltx-2-3-fast", "fps": 24"#),
    ]
    var servers: [SimulatorServer] = []
    var endpoints: [APIEndpoint] = []
    var apis: [PipelineConfiguration.API] = []
    for provider in providers {
        let server = SimulatorServer(configuration: SimulatorConfiguration(
            fastLatency: 2.5...7.5, timeScale: scale, concurrencyLimit: limits.inFlight, requestsPerWindow: limits.requestsPerWindow,
            windowSeconds: limits.windowSeconds, credits: 1_000_000, concurrentGenerations: 2
        ))
        let v1: URL
        do { v1 = try await server.start() } catch { print("simulator failed: \(error)"); exit(1) }
        guard let base = URL(string: provider.name.base(fromV1: v1.absoluteString)) else { exit(1) }
        servers.append(server)
        endpoints.append(APIEndpoint(base: base, apiKey: "sim-key", dialect: provider.name, timeScale: scale))
        apis.append(.init(base: base.absoluteString, dialect: provider.name, limits: limits))
    }
    var configuration = PipelineConfiguration(
        name: "mixed", file: root + "/mixed.yml", drop: root + "/drop", archive: root + "/archive", failed: root + "/failed",
        state: root + "/state", api: apis[0], defaults: .init(resolution: Resolution(width: 1920, height: 1080), duration: .seconds(6)),
        verify: .init(mode: .quick, content: nil), settleSeconds: 0, pollSeconds: 0.05
    )
    configuration.moreProviders = Array(apis.dropFirst())
    try? FileManager.default.createDirectory(atPath: configuration.drop, withIntermediateDirectories: true)
    for i in 0..<jobs {
        let provider = providers[i % providers.count]
        _ = FileManager.default.createFile(atPath: configuration.drop + "/clip\(i).txt", contents: Data("mixed benchmark prompt \(i)".utf8))
        _ = FileManager.default.createFile(atPath: configuration.drop + "/clip\(i).json",
                                           contents: Data("{\"provider\": \"\(provider.name.rawValue)\", \(provider.sidecar)}".utf8))
    }
    let clock = PipelineClock(scale: scale)
    let session: PipelineSession
    do {
        session = try await PipelineSession.open(configuration, endpoint: endpoints[0], moreEndpoints: Array(endpoints.dropFirst()), clock: clock, log: { _ in })
    } catch {
        print("cannot open pipeline: \(error)"); exit(1)
    }
    let started = clock.now()
    let summary: RunSummary
    do { summary = try await session.runner.run(once: true) } catch { print("run failed: \(error)"); exit(1) }
    let makespan = clock.now() - started
    var bound = 0.0, capacityPerMinute = 0.0, limited = 0
    var perProvider: [String: Int] = [:]
    for (index, server) in servers.enumerated() {
        let latencies = await server.generationLatencies()
        let stats = await server.stats()
        await server.stop()
        bound = max(bound, max(latencies.reduce(0, +) / 2, latencies.max() ?? 0))
        let mean = latencies.isEmpty ? 5 : latencies.reduce(0, +) / Double(latencies.count)
        capacityPerMinute += Double(limits.generations ?? 1) / mean * 60
        limited += stats.rateLimited + stats.concurrencyLimited
        perProvider[providers[index].name.rawValue] = stats.submitsAccepted
    }
    let perMinute = Double(summary.archived) / max(makespan, 1e-9) * 60
    printJSON([
        "jobs": jobs, "archived": summary.archived, "failed": summary.failed, "held": summary.held,
        "accepted_by_provider": perProvider, "makespan_nominal_s": makespan, "bound_s": bound, "ratio": makespan / max(bound, 1e-9),
        "jobs_per_minute": perMinute, "capacity_jobs_per_minute": capacityPerMinute, "share_of_capacity": perMinute / max(capacityPerMinute, 1e-9),
        "limited_429": limited,
    ])
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "download" where arguments.count == 4:
    await benchDownload(arguments[2], arguments[3])
case "overhead":
    await benchOverhead(runs: arguments.count > 2 ? Int(arguments[2]) ?? 10 : 10, deep: arguments.count > 3 && arguments[3] == "deep")
case "ingest":
    await benchIngest(count: arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000)
case "runner" where arguments.count >= 3:
    guard let dialect = DialectName(rawValue: arguments[2]) else { print("runner: unknown dialect \(arguments[2])"); exit(2) }
    await benchRunner(dialect: dialect, jobs: arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20, scale: arguments.count > 4 ? Double(arguments[4]) ?? 0.05 : 0.05)
case "mixed":
    await benchMixed(jobs: arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20, scale: arguments.count > 3 ? Double(arguments[3]) ?? 1 : 1)
case "dashboard":
    await benchDashboard(jobs: arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000)
case "schedule":
    await benchSchedule(jobs: arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100, scale: arguments.count > 3 ? Double(arguments[3]) ?? 0.05 : 0.05)
default:
    print("usage: ltxpipe-bench download URL PATH | schedule [JOBS] [TIME-SCALE] | runner ltx-v2|generations [JOBS] [TIME-SCALE] | mixed [JOBS] [TIME-SCALE] | ingest [FILES] | overhead [RUNS] [deep] | dashboard [JOBS]")
    exit(2)
}
