/// How the pipeline chooses the provider of a job among those that can serve it exactly (`api.route`).
public enum ProviderRoute: String, Sendable, Equatable, CaseIterable {
    /// The first provider in the file's order that can serve the job.
    case order
    /// The provider with the lowest known price for the job; a provider whose price is unknown is never chosen.
    case cheapest
}
