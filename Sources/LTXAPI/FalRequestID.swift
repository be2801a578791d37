import Foundation

/// A fal queue request as ltxpipe records it: the `owner/app` its status and response URLs live under and fal's
/// `request_id`, written `owner:app:request_id` so that the one id the ledger stores is enough to poll it.
public struct FalRequestID: Sendable, Equatable, CustomStringConvertible {
    /// The model's owner (`fal-ai`).
    public var owner: String
    /// The model's app (`ltx-2.3`).
    public var app: String
    /// fal's `request_id`.
    public var requestID: String

    /// Creates an id from its parts; nil when a part is empty, holds `:` or anything but letters, digits and `-_.`.
    public init?(owner: String, app: String, requestID: String) {
        guard [owner, app, requestID].allSatisfy(FalRequestID.isPart) else { return nil }
        self.owner = owner
        self.app = app
        self.requestID = requestID
    }

    /// Reads `owner:app:request_id`; nil for anything else.
    public init?(parsing id: String) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        self.init(owner: parts[0], app: parts[1], requestID: parts[2])
    }

    /// `owner:app:request_id`.
    public var description: String { "\(owner):\(app):\(requestID)" }

    /// `{base}/{owner}/{app}/requests/{request_id}`: the response URL under `base`.
    public func responseURL(base: URL) -> URL {
        base.appendingPathComponent(owner).appendingPathComponent(app).appendingPathComponent("requests").appendingPathComponent(requestID)
    }

    /// `{base}/{owner}/{app}/requests/{request_id}/status`: the status URL under `base`.
    public func statusURL(base: URL) -> URL { responseURL(base: base).appendingPathComponent("status") }

    private static func isPart(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 100, text != ".", text != ".." else { return false }
        return text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }
}
