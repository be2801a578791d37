// Benchmarks that need the library from inside a process: the streaming downloader and the
// scheduling of many jobs under the rate limits. Run by Benchmarks/run.sh (make bench).
import Foundation
import LTXAPI
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

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "download" where arguments.count == 4:
    await benchDownload(arguments[2], arguments[3])
case "schedule":
    await benchSchedule(jobs: arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100, scale: arguments.count > 3 ? Double(arguments[3]) ?? 0.05 : 0.05)
default:
    print("usage: ltxpipe-bench download URL PATH | schedule [JOBS] [TIME-SCALE]")
    exit(2)
}
