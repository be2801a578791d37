import LTXAPI
import Synchronization

/// The last download progress the client reported (from its transfer threads), for the block of `run`.
final class LatestDownload: Sendable {
    private let latest = Mutex<(bytes: Int64, total: Int64?)?>(nil)

    /// Takes a client event from any thread; only download progress is kept.
    func record(_ event: ClientEvent) {
        if case .downloading(let bytes, let total) = event { latest.withLock { $0 = (bytes, total) } }
    }

    var value: (bytes: Int64, total: Int64?)? { latest.withLock { $0 } }

    func clear() { latest.withLock { $0 = nil } }
}
