/// Which kind of call failed: the same error means different things before and after a submit was sent.
public enum CallKind: String, Sendable, Codable {
    case submit, poll, download
}

/// What happens to a job once an API call has failed for good, as the dialect's error table decides.
public enum JobDisposition: Sendable, Equatable {
    /// The job ends in `failed` with this reason.
    case fail(reason: String, detail: String)
    /// The job waits in `held` for the account or the user; with `stopsSubmitting` no other job is submitted this run.
    case hold(reason: String, detail: String, stopsSubmitting: Bool)
    /// The inputs go back to preflight once, re-encoded, and are submitted again; a second refusal fails the job.
    case reencodeInputs(reason: String, detail: String)
    /// The inputs are sent again through the upload endpoint instead of inline, once (a proxy refused the body).
    case resendThroughUpload(reason: String, detail: String)
    /// The work was cancelled: the job stays where it is and resumes in the next run.
    case stop
}
