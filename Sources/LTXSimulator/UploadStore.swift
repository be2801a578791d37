import Foundation

/// The ltx-v2 upload area: `POST /v1/upload` issues a URL, `PUT` stores bytes there, submits read them back as
/// `ltx://uploads/<id>`. A value type with explicit (simulated) times, owned by ``SimulatorState``.
struct UploadStore: Sendable {
    /// One issued upload.
    struct Entry: Sendable {
        /// The id in `ltx://uploads/<id>`.
        let id: String
        /// The secret in the upload URL and the `x-ltx-upload-token` header.
        let token: String
        /// Simulated time the URL was issued.
        let issuedAt: Double
        /// The stored bytes, once a `PUT` succeeded (dropped when the upload expires).
        var bytes: [UInt8]?
    }

    /// Why a `PUT` was refused.
    enum PutRefusal: Error, Sendable, Equatable {
        case unknownToken
        case urlExpired(expiredAt: Double)
    }

    /// What an `ltx://uploads/<id>` reference resolves to.
    enum Lookup: Sendable, Equatable {
        case found([UInt8])
        case unknown
        case notUploaded
        case expired
    }

    /// How long an upload URL accepts its `PUT`.
    let urlLifetime: Double
    /// How long an upload can be used, counted from the issue of its URL.
    let lifetime: Double

    private var byToken: [String: Entry] = [:]
    /// Upload id → token.
    private var tokens: [String: String] = [:]

    init(urlLifetime: Double, lifetime: Double) {
        self.urlLifetime = urlLifetime
        self.lifetime = lifetime
    }

    /// Issues a new upload URL at `now`.
    mutating func issue(at now: Double) -> Entry {
        prune(at: now)
        let entry = Entry(id: Self.randomHex(24), token: Self.randomHex(32), issuedAt: now, bytes: nil)
        byToken[entry.token] = entry
        tokens[entry.id] = entry.token
        return entry
    }

    /// The entry behind an upload token, whether or not its URL is still valid.
    func entry(token: String) -> Entry? {
        byToken[token]
    }

    /// Stores `bytes` for `token` at `now` (a second `PUT` before expiry replaces the first).
    mutating func put(token: String, bytes: [UInt8], at now: Double) throws(PutRefusal) {
        guard var entry = byToken[token] else { throw .unknownToken }
        let expiry = entry.issuedAt + urlLifetime
        guard now < expiry else { throw .urlExpired(expiredAt: expiry) }
        entry.bytes = bytes
        byToken[token] = entry
    }

    /// Resolves an upload id at `now`.
    mutating func lookup(id: String, at now: Double) -> Lookup {
        prune(at: now)
        guard let token = tokens[id], let entry = byToken[token] else { return .unknown }
        if now >= entry.issuedAt + lifetime { return .expired }
        guard let bytes = entry.bytes else { return .notUploaded }
        return .found(bytes)
    }

    /// Frees the bytes of uploads that have expired (their ids stay known, so a late reference says "expired").
    private mutating func prune(at now: Double) {
        for (token, entry) in byToken where entry.bytes != nil && now >= entry.issuedAt + lifetime {
            byToken[token]?.bytes = nil
        }
    }

    private static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[Int(generator.next() % 16)] })
    }
}
