import ArgumentParser
import LTXAPI
import LTXGeneration
import LTXPipeline

/// Exit codes shared by every command (README, "Exit codes"): the one table that turns outcomes into codes.
enum ExitStatus: Int32 {
    case success = 0
    /// A job or a verification failed.
    case failed = 1
    /// Bad input or usage.
    case badInput = 2
    /// Refused for account reasons (401/402) or bad configuration (a pipeline file that does not load, no key).
    case account = 3
    /// API unavailable after retries, or a submit whose outcome is unknown.
    case unavailable = 4
    /// Another process holds what the command needs (a pipeline's ledger, while a run works it).
    case busy = 5
    /// Stopped at once by a second Ctrl-C (128 + SIGINT, as shells report it).
    case interrupted = 130

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The code of a command that ended on `error`.
    static func of(_ error: APIError) -> ExitStatus {
        switch error {
        case .unauthorized, .insufficientCredits: return .account
        case .unavailable, .uncertainSubmit, .malformedResponse: return .unavailable
        case .rejectedLocally: return .badInput
        default: return .failed
        }
    }

    /// The code of `generate` when it stopped on `error`.
    static func of(_ error: GenerationRunError) -> ExitStatus {
        switch error {
        case .input: return .badInput
        case .video: return .failed
        case .api(let error): return of(error)
        }
    }

    /// `run --once`: 3 when any job is left held, else 1 when any failed, else 0.
    /// A run stopped by SIGINT/SIGTERM exits 0: the stop was asked for and the next run resumes.
    static func of(_ summary: RunSummary) -> ExitStatus {
        if summary.stopped { return .success }
        return summary.held > 0 ? .account : summary.failed > 0 ? .failed : .success
    }
}
