import Foundation
import LTXCore
import LTXPipeline
import Synchronization
import Testing

/// The webhook queue never makes the pipeline wait: posting returns at once, a full queue drops and says so, and a
/// run's end gives up what a dead webhook never took, counting it in the log.
@Suite("webhook notifier")
struct WebhookNotifierTests {
    /// A log that keeps its lines.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func notification(_ name: String, _ event: NotifyEvent = .failed) -> JobNotification {
        var job = JobRecord(id: "20261126-\(name)", pipeline: "p", name: name, inputs: [], now: Date())
        job.state = event == .archived ? .archived : event == .held ? .held : .failed
        return JobNotification(event, job: job)
    }

    /// A loopback port nothing listens on: every post is refused at once.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aFullQueueDropsTheNewEventAndTheEndGivesUpWhatADeadWebhookNeverTook() async {
        let log = Lines()
        let settings = PipelineConfiguration.Notify(webhook: "http://127.0.0.1:\(Self.closedPort())/hook", events: [.failed, .archived])
        // Retries wait at least 50 ms each (the scaled clock's floor), so the first event is still being retried when
        // the others arrive: one waits in the queue of one, the third is dropped.
        let notifier = WebhookNotifier(settings: settings, clock: PipelineClock(scale: 0.001), capacity: 1, log: log.append)
        notifier.post(Self.notification("boat"))
        notifier.post(Self.notification("kite"))
        notifier.post(Self.notification("swan"))
        notifier.post(Self.notification("held-one", .held))
        await notifier.finish(grace: 0.001, realFloor: 0.01)
        let lines = log.all
        #expect(lines.contains { $0.contains("the failed event of swan (20261126-swan) was dropped") }, "\(lines)")
        #expect(!lines.contains { $0.contains("held-one") }, "held is not in notify.on: \(lines)")
        #expect(lines.contains { $0.contains("not delivered to the webhook before the run ended") }, "\(lines)")
    }

    @Test func theBodyCarriesTheJobAndNothingElse() throws {
        var job = JobRecord(id: "20261126-boat", pipeline: "p", name: "boat", inputs: [], now: Date(timeIntervalSince1970: 0))
        job.state = .archived
        job.cost = 0.36
        job.bag = "/archive/1970-01-01/20261126-boat"
        let object = try #require(try JSONSerialization.jsonObject(with: JobNotification(.archived, job: job).body()) as? [String: Any])
        #expect(Set(object.keys) == ["event", "pipeline", "job", "name", "state", "cost", "bag", "at"])
        #expect(object["bag"] as? String == "/archive/1970-01-01/20261126-boat" && object["cost"] as? Double == 0.36)
        #expect(object["at"] as? String == "1970-01-01T00:00:00Z")
    }
}
