import Foundation
import LTXAPI
import LTXMedia
import LTXPipeline

/// The live block of `ltxpipe run`: jobs in flight with their stage (elapsed against the catalog's expected latency
/// while generating, download progress), the queue, and the money spent today and in total. Read from the ledger
/// the runner commits every step to, plus the client's download events; drawn by `LiveStatus`.
final class RunStatusBoard: Sendable {
    /// The most job lines shown; the rest are counted.
    static let maxJobLines = 8

    private let configuration: PipelineConfiguration
    private let ledger: Ledger
    private let scale: Double
    private let started = Date()
    private let latestDownload: LatestDownload

    /// What the ledger said at the last read.
    struct Snapshot: Sendable {
        var unfinished: [JobRecord] = []
        var totals = JobTotals([])
        var spentToday: Double = 0
        var archivedThisRun = 0
        var failedThisRun = 0
    }

    init(configuration: PipelineConfiguration, ledger: Ledger, scale: Double, downloads: LatestDownload) {
        self.configuration = configuration
        self.ledger = ledger
        self.latestDownload = downloads
        self.scale = scale > 0 && scale.isFinite ? scale : 1
    }

    /// Reads the ledger: the unfinished jobs always, every job (for the money and this run's counts) when `all`.
    func read(all: Bool, into snapshot: inout Snapshot) async {
        if let unfinished = try? await ledger.unfinished() { snapshot.unfinished = unfinished }
        guard all, let jobs = try? await ledger.jobs() else { return }
        snapshot.totals = JobTotals(jobs)
        let today = Self.utcDay(Date())
        snapshot.spentToday = jobs.reduce(0) { sum, job in
            guard let cost = job.totalCost, Self.utcDay(job.submitStartedAt ?? job.updatedAt) == today else { return sum }
            return sum + cost
        }
        snapshot.archivedThisRun = jobs.filter { $0.state == .archived && $0.updatedAt >= started }.count
        snapshot.failedThisRun = jobs.filter { $0.state == .failed && $0.updatedAt >= started }.count
    }

    /// The block's lines for `snapshot` at `now`.
    func lines(_ snapshot: Snapshot, now: Date = Date()) -> [String] {
        let jobs = snapshot.unfinished
        let generating = jobs.filter { $0.state == .submitted }.count
        let queued = jobs.filter { [.detected, .claimed, .preflighted].contains($0.state) }.count
        let held = jobs.filter { $0.state == .held }.count
        let downloading = jobs.filter { $0.state == .generated }
        if downloading.isEmpty { latestDownload.clear() }
        let progress = latestDownload.value
        var header = "\(configuration.name) · \(generating) generating · \(queued) queued · \(held) held"
            + " · spent today \(Money.text(snapshot.spentToday)) · total \(Money.text(snapshot.totals.spent))"
        if snapshot.totals.estimated > 0 { header += " (+\(Money.text(snapshot.totals.estimated)) under way)" }
        header += " · this run: \(snapshot.archivedThisRun) archived, \(snapshot.failedThisRun) failed"
        var lines = [header]
        let width = min(24, jobs.map(\.name.count).max() ?? 0)
        for job in jobs.prefix(Self.maxJobLines) {
            let name = LiveStatus.cut(job.name, to: 24).padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  " + name + "  " + stage(of: job, now: now, progress: downloading.count == 1 ? progress : nil))
        }
        if jobs.count > Self.maxJobLines { lines.append("  … and \(jobs.count - Self.maxJobLines) more") }
        if downloading.count > 1, let progress {
            lines.append("  downloads: latest at \(StatusFigures.download(bytes: progress.bytes, total: progress.total))")
        }
        if jobs.isEmpty { lines.append("  watching \(configuration.drop) for new drops") }
        return lines
    }

    /// What a job is doing, in a few words.
    private func stage(of job: JobRecord, now: Date, progress: (bytes: Int64, total: Int64?)?) -> String {
        let request = StatusFigures.request(job.parameters)
        let suffix = request.isEmpty ? "" : "  " + request
        switch job.state {
        case .detected: return "claiming" + suffix
        case .claimed: return "preflight" + suffix
        case .preflighted: return "queued for a generation slot" + suffix
        case .submitted:
            let since = job.submitStartedAt ?? job.updatedAt
            let elapsed = now.timeIntervalSince(since) / scale
            return "generating " + StatusFigures.elapsed(elapsed, model: job.parameters?.model, catalog: configuration.api.catalog) + suffix
        case .generated:
            return "downloading" + (progress.map { " " + StatusFigures.download(bytes: $0.bytes, total: $0.total) } ?? "") + suffix
        case .downloaded: return "verifying (\(configuration.verify.mode.rawValue))" + suffix
        case .verified: return "archiving" + suffix
        case .held: return "held (\(job.reason?.rawValue ?? "?"))" + suffix
        case .failed: return "failed: filing into \(configuration.failed)"
        case .archived: return "archived"
        }
    }

    /// Follows the ledger and draws the block until cancelled: the block is refreshed a few times a second (at most
    /// `LiveStatus.redrawsPerSecond`), the unfinished jobs read every half second, the money every two seconds.
    func follow(on live: LiveStatus) -> Task<Void, Never> {
        Task {
            var snapshot = Snapshot()
            var lastAll = ContinuousClock.now - .seconds(60)
            var lastRead = lastAll
            var lastIDs: [String: JobState] = [:]
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if now - lastRead >= .milliseconds(500) {
                    await read(all: false, into: &snapshot)
                    lastRead = now
                    let ids = Dictionary(snapshot.unfinished.map { ($0.id, $0.state) }, uniquingKeysWith: { $1 })
                    if ids != lastIDs || now - lastAll >= .seconds(2) {
                        await read(all: true, into: &snapshot)
                        lastAll = now
                        lastIDs = ids
                    }
                }
                live.show(lines(snapshot))
                live.tick()
                try? await Task.sleep(for: .milliseconds(1000 / LiveStatus.redrawsPerSecond))
            }
        }
    }

    /// `2026-11-26` in UTC (the day `spend --by day` counts a job on).
    static func utcDay(_ date: Date) -> String {
        String(Console.timestamp(date).prefix(10))
    }
}
