/// The job a runner's log line or client event belongs to: set for the whole of a job's task (its stages, its API
/// calls, its waits), so a log handler can attach the job id as metadata without every line naming it.
public enum JobLogContext {
    /// The id of the job the current task works, when it works one.
    @TaskLocal public static var jobID: String?
}
