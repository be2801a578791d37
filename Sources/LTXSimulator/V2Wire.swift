import Foundation

/// `{"type":"error","error":{"type","message"}}`, the ltx-v2 error body.
struct V2ErrorEnvelope: Encodable {
    struct Detail: Encodable {
        let type: String
        let message: String
    }

    let type = "error"
    let error: Detail
}

/// The 202 answer to `POST /v2/{mode}`.
struct V2AcceptedBody: Encodable {
    let id: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
    }
}

/// A job as `GET /v2/{mode}/{id}` shows it.
struct V2JobBody: Encodable {
    struct Result: Encodable {
        let videoURL: String

        enum CodingKeys: String, CodingKey {
            case videoURL = "video_url"
        }
    }

    struct Failure: Encodable {
        let type: String
        let message: String
    }

    let id: String
    let status: String
    let createdAt: String
    let completedAt: String?
    let result: Result?
    let error: Failure?

    /// The job at simulated time `now`; `completedAt` is the calendar date of its completion.
    init(_ job: SimulatedJob, at now: Double, completedAt: Date, origin: String) {
        // Values are copied out of `job` first: switching over `job.outcome` inside this initializer crashed the
        // Swift 6.3.1 optimizer (an ownership verifier assertion) in release builds.
        let status = job.v2Status(at: now)
        let jobID = job.id
        let failureMessage = job.outcome.failureMessage
        let failureType = job.outcome.failureCause == .contentFilter ? "content_filtered_error" : "api_error"
        id = jobID
        self.status = status.rawValue
        createdAt = job.createdAt.formatted(.iso8601)
        switch status {
        case .pending, .processing:
            self.completedAt = nil
            result = nil
            error = nil
        case .completed:
            self.completedAt = completedAt.formatted(.iso8601)
            result = Result(videoURL: "\(origin)/files/\(jobID).mp4")
            error = nil
        case .failed:
            self.completedAt = completedAt.formatted(.iso8601)
            result = nil
            error = Failure(type: failureType, message: failureMessage ?? "the generation failed")
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, result, error
        case createdAt = "created_at"
        case completedAt = "completed_at"
    }
}

/// The answer to `POST /v1/upload`.
struct V2UploadTicket: Encodable {
    let uploadURL: String
    let storageURI: String
    let expiresAt: String
    let requiredHeaders: [String: String]

    enum CodingKeys: String, CodingKey {
        case uploadURL = "upload_url"
        case storageURI = "storage_uri"
        case expiresAt = "expires_at"
        case requiredHeaders = "required_headers"
    }
}
