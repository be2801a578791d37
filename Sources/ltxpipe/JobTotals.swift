import LTXPipeline

/// The totals under a `jobs` table: jobs by state, and the money spent, estimated for jobs under way, and held.
struct JobTotals {
    var byState: [JobState: Int] = [:]
    /// Charged (earlier attempts of retried jobs included).
    var spent: Double = 0
    /// Estimates of jobs under way that are not charged yet.
    var estimated: Double = 0
    /// Estimates of held jobs.
    var held: Double = 0
    /// Jobs under way or held whose price is unknown.
    var unknown = 0
    var count = 0

    init(_ jobs: [JobRecord]) {
        for job in jobs {
            count += 1
            byState[job.state, default: 0] += 1
            spent += job.totalCost ?? 0
            guard job.cost == nil, !job.state.isFinal, job.parameters != nil else { continue }
            guard let estimate = job.estimatedCost else { unknown += 1; continue }
            if job.state == .held { held += estimate } else { estimated += estimate }
        }
    }

    /// `totals: 3 jobs (1 archived, 1 failed, 1 held) · spent $0.24 · estimated $0.12 · held $0.12`.
    var line: String {
        let states = JobState.allCases.compactMap { state in byState[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
        return "totals: \(count) job\(count == 1 ? "" : "s") (\(states)) · spent \(Money.text(spent)) · estimated \(Money.text(estimated)) under way · held \(Money.text(held))"
            + (unknown > 0 ? " · \(unknown) with an unknown price" : "")
    }
}
