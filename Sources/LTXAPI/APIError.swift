/// Why a generation call failed, sorted by what the caller must do about it.
public enum APIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The request broke a rule (400): fail the job with the API's message.
    case invalidRequest(String)
    /// The key was refused (401): stop submitting, hold every job. The message names the variable to check.
    case unauthorized(String)
    /// The account has no credits for this (402): hold until credits return.
    case insufficientCredits(String)
    /// An input file is too large (413): re-compress once.
    case fileTooLarge(String)
    /// An input file's format was refused (422 in the generations dialect): transcode once.
    case unsupportedFile(String)
    /// The content was refused by the safety filter (422 in the ltx-v2 dialect): fail, do not retry.
    case contentFiltered(String)
    /// The generation is unknown or expired (404).
    case notFound(String)
    /// The generation ended in `failed`.
    case generationFailed(String)
    /// The API stayed unavailable (429/5xx/transport) after the retries the policy allows.
    case unavailable(String)
    /// The submit was sent but its outcome is unknown: never re-sent silently.
    case uncertainSubmit(String)
    /// The API answered something this client cannot read.
    case malformedResponse(String)
    /// The result could not be downloaded.
    case downloadFailed(String)
    /// The service deleted the result before it was downloaded (Replicate keeps outputs one hour): paid for and gone,
    /// never retried.
    case outputLost(String)
    /// The request was not made because it breaks the catalog (no network call happened).
    case rejectedLocally(String)
    /// The task was cancelled.
    case cancelled

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .invalidRequest(let m): return "the API rejected the request: \(m)"
        case .unauthorized(let m): return "the API refused the key (401): \(m)"
        case .insufficientCredits(let m): return "insufficient credits (402): \(m); add credits, then run again"
        case .fileTooLarge(let m): return "input file too large for the API (413): \(m)"
        case .unsupportedFile(let m): return "input file format refused by the API (422): \(m)"
        case .contentFiltered(let m): return "content refused by the API's safety filter: \(m)"
        case .notFound(let m): return "generation not found or expired (404): \(m)"
        case .generationFailed(let m): return "the generation failed: \(m)"
        case .unavailable(let m): return "API unavailable after retries: \(m)"
        case .uncertainSubmit(let m): return "submit outcome unknown (the connection broke after the request was sent): \(m); not re-sent, to avoid paying twice"
        case .malformedResponse(let m): return "unreadable API response: \(m)"
        case .downloadFailed(let m): return "download failed: \(m)"
        case .outputLost(let m): return "output lost: \(m)"
        case .rejectedLocally(let m): return m
        case .cancelled: return "cancelled"
        }
    }

    /// The ledger's reason word for held and failed jobs.
    public var reason: String {
        switch self {
        case .invalidRequest: return "invalid-request"
        case .unauthorized: return "unauthorized"
        case .insufficientCredits: return "insufficient-credits"
        case .fileTooLarge: return "file-too-large"
        case .unsupportedFile: return "unsupported-file"
        case .contentFiltered: return "content-filtered"
        case .notFound: return "expired"
        case .generationFailed: return "generation-failed"
        case .unavailable: return "api-unavailable"
        case .uncertainSubmit: return "uncertain-submit"
        case .malformedResponse: return "malformed-response"
        case .downloadFailed: return "download-failed"
        case .outputLost: return "output-lost"
        case .rejectedLocally: return "invalid-request"
        case .cancelled: return "cancelled"
        }
    }

    /// The HTTP status whose row in the error table governs this error, when it came from a refused request.
    public var tableStatus: Int? {
        switch self {
        case .invalidRequest: return 400
        case .unauthorized: return 401
        case .insufficientCredits: return 402
        case .notFound: return 404
        case .fileTooLarge: return 413
        case .unsupportedFile, .contentFiltered: return 422
        default: return nil
        }
    }
}
