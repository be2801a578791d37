import LTXPipeline

/// Which jobs a snapshot lists: those in `states` (every state when nil), newest first, at most `limit` (all when nil).
public struct DashboardJobQuery: Sendable, Hashable {
    /// The states listed; nil for every state.
    public var states: Set<JobState>?
    /// The most jobs listed; nil for no bound.
    public var limit: Int?

    /// Jobs in `states`, at most `limit`.
    public init(states: Set<JobState>? = nil, limit: Int? = nil) {
        self.states = states
        self.limit = limit
    }

    /// No job: a snapshot of the summary alone.
    public static let none = DashboardJobQuery(limit: 0)
}
