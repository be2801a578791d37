import Foundation
import LTXAPI
import Synchronization

/// The live block of `ltxpipe generate`: the request and its estimated cost, then what the one generation is doing
/// (preflight, submit, generating with elapsed against the catalog's expected latency, download progress,
/// verification). Fed by the client's events and the submit's progress; drawn by `LiveStatus`.
final class GenerateStatusBoard: Sendable {
    /// Where the generation stands.
    enum Phase: Sendable {
        case preparing, sending
        case generating(id: String, since: Date, state: String)
        case downloading(id: String, bytes: Int64, total: Int64?)
        case verifying(id: String)
    }

    private let parameters: GenerationParameters
    private let catalog: Catalog
    private let estimate: Double?
    private let scale: Double
    private let phase = Mutex(Phase.preparing)
    /// The last status the service reported, by generation id: the first one can arrive before `accepted`.
    private let lastStatus = Mutex<(id: String, state: String)?>(nil)

    init(parameters: GenerationParameters, catalog: Catalog, estimate: Double?, scale: Double) {
        self.parameters = parameters
        self.catalog = catalog
        self.estimate = estimate
        self.scale = scale > 0 && scale.isFinite ? scale : 1
    }

    /// The submit is on its way.
    func sending() { phase.withLock { $0 = .sending } }

    /// The service accepted generation `id`.
    func accepted(_ id: String) {
        let known = lastStatus.withLock { $0 }.flatMap { $0.id == id ? $0.state : nil }
        phase.withLock { $0 = .generating(id: id, since: Date(), state: known ?? "submitted") }
    }

    /// Takes a client event from any thread.
    func record(_ event: ClientEvent) {
        if case .status(let status) = event { lastStatus.withLock { $0 = (status.id, status.state.rawValue) } }
        phase.withLock { phase in
            switch (event, phase) {
            case (.status(let status), .generating(let id, let since, _)):
                phase = .generating(id: id, since: since, state: status.state.rawValue)
            case (.downloading(let bytes, let total), .generating(let id, _, _)), (.downloading(let bytes, let total), .downloading(let id, _, _)):
                phase = total.map { bytes >= $0 } == true ? .verifying(id: id) : .downloading(id: id, bytes: bytes, total: total)
            default:
                break
            }
        }
    }

    /// The block's lines at `now`.
    func lines(now: Date = Date()) -> [String] {
        let cost = estimate.map { "estimated \(Money.text($0))" } ?? "estimated cost unknown"
        let header = "generate \(parameters.mode.rawValue) · \(StatusFigures.request(parameters)) @ \(parameters.fps) fps · \(cost)"
        let detail: String
        switch phase.withLock({ $0 }) {
        case .preparing: detail = "preflight of the inputs"
        case .sending: detail = "submitting"
        case .generating(let id, let since, let state):
            detail = "generation \(id): \(state) " + StatusFigures.elapsed(now.timeIntervalSince(since) / scale, model: parameters.model, catalog: catalog)
        case .downloading(let id, let bytes, let total):
            detail = "generation \(id): downloading " + StatusFigures.download(bytes: bytes, total: total)
        case .verifying(let id):
            detail = "generation \(id): downloaded; verifying"
        }
        return [header, "  " + detail]
    }

    /// Redraws the block a few times a second (at most `LiveStatus.redrawsPerSecond`) until cancelled.
    func follow(on live: LiveStatus) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                live.show(lines())
                live.tick()
                try? await Task.sleep(for: .milliseconds(1000 / LiveStatus.redrawsPerSecond))
            }
        }
    }
}
