import Foundation
import LTXAPI
import LTXCore
import Synchronization

/// Posts job events to a pipeline's webhook. The pipeline only enqueues (never waits on the network); a task of
/// the notifier's own drains the bounded queue in order, retrying each post with doubling delays. When the queue
/// is full the newest event is dropped and the log says which.
public final class WebhookNotifier: Sendable {
    /// Events the queue holds before it drops new ones.
    public static let defaultCapacity = 256
    /// Posts of one event before it is given up.
    public static let attempts = 5
    /// Nominal seconds before the first retry; each next one waits twice as long.
    public static let firstRetryDelay: Double = 1

    /// Where and what is posted.
    public let settings: PipelineConfiguration.Notify
    private let continuation: AsyncStream<JobNotification>.Continuation
    private let drain: Task<Void, Never>
    private let clock: PipelineClock
    private let log: @Sendable (String) -> Void
    private let capacity: Int
    /// Events enqueued but not yet delivered or given up.
    private let pending = PendingCount()

    /// A count shared by the enqueuing side and the draining task.
    private final class PendingCount: Sendable {
        let value = Mutex(0)
        func add(_ delta: Int) { value.withLock { $0 += delta } }
        var current: Int { value.withLock { $0 } }
    }

    /// A notifier posting to `settings.webhook` through `client`, waiting between retries on `clock`.
    public init(settings: PipelineConfiguration.Notify, clock: PipelineClock, client: HTTPClient = WebhookNotifier.client(),
                capacity: Int = WebhookNotifier.defaultCapacity, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.clock = clock
        self.log = log
        self.capacity = max(1, capacity)
        let (stream, continuation) = AsyncStream.makeStream(of: JobNotification.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
        self.continuation = continuation
        let url = URL(string: settings.webhook)
        let pending = self.pending
        drain = Task {
            for await notification in stream {
                var settled = true
                if let url { settled = await Self.deliver(notification, to: url, client: client, clock: clock, log: log) }
                if settled { pending.add(-1) }
            }
        }
    }

    /// An HTTP client with short timeouts: a webhook answers quickly or is retried later.
    public static func client() -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = 5
        configuration.requestTimeout = 15
        configuration.maxResponseBytes = 64 << 10
        return HTTPClient(configuration: configuration)
    }

    /// Queues `notification` when `notify.on` names its event; returns at once.
    public func post(_ notification: JobNotification) {
        guard settings.events.contains(notification.event) else { return }
        pending.add(1)
        switch continuation.yield(notification) {
        case .enqueued: break
        case .dropped:
            pending.add(-1)
            log("notify: \(capacity) events are waiting for the webhook; the \(notification.event.rawValue) event of \(notification.name) (\(notification.job)) was dropped")
        case .terminated:
            pending.add(-1)
            log("notify: the run is ending; the \(notification.event.rawValue) event of \(notification.name) (\(notification.job)) was not sent")
        @unknown default:
            pending.add(-1)
        }
    }

    /// Stops taking events and waits for the queue to drain, at most `grace` nominal seconds (never less than
    /// `realFloor` real seconds); what is left then is given up and counted in the log.
    public func finish(grace: Double, realFloor: Double = 5) async {
        continuation.finish()
        let drain = self.drain
        let clock = self.clock
        let timer = Task {
            do { try await clock.sleep(grace, realFloor: realFloor) } catch { return false }
            drain.cancel()
            return true
        }
        await drain.value
        timer.cancel()
        if await timer.value {
            let left = pending.current
            if left > 0 { log("notify: \(left) event(s) not delivered to the webhook before the run ended") }
        }
    }

    /// Posts one event until the webhook answers 2xx, a 4xx other than 408/429 refuses it, or the attempts run out
    /// (true: settled, logged when not delivered); false when the run's end cut it short.
    private static func deliver(_ notification: JobNotification, to url: URL, client: HTTPClient, clock: PipelineClock,
                                log: @Sendable (String) -> Void) async -> Bool {
        let what = "\(notification.event.rawValue) event of \(notification.name) (\(notification.job))"
        guard let body = try? notification.body() else {
            log("notify: the \(what) cannot be encoded as JSON; not sent")
            return true
        }
        let request = HTTPRequest(method: "POST", url: url, headers: [("Accept", "*/*")], body: .data(body, contentType: "application/json"))
        var delay = firstRetryDelay
        var last = ""
        for attempt in 1...attempts {
            if Task.isCancelled { return false }
            do {
                let response = try await client.send(request)
                if (200..<300).contains(response.status) { return true }
                last = "HTTP \(response.status)"
                if (400..<500).contains(response.status), response.status != 408, response.status != 429 {
                    log("notify: the webhook refused the \(what) (\(last)); not sent again")
                    return true
                }
            } catch {
                if Task.isCancelled { return false }
                last = error.description
            }
            guard attempt < attempts else { break }
            do { try await clock.sleep(delay) } catch { return false }
            delay *= 2
        }
        log("notify: the \(what) was not delivered after \(attempts) attempts (last: \(DisplayText.escaped(last)))")
        return true
    }
}
