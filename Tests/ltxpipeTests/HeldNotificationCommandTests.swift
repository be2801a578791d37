import Foundation
import Testing

/// Jobs held before their submit are posted to the webhook like every other hold: an identical drop waiting for its
/// twin (`duplicate-in-flight`) and a claim that finds the disk full (`disk-full`), each once.
@Suite("held claims notify through the binary", .serialized)
struct HeldNotificationCommandTests {
    typealias E2E = GenerateCommandTests

    static func bodies(_ receiver: WebhookReceiver) throws -> [[String: Any]] {
        try receiver.received.map { try #require(JSONSerialization.jsonObject(with: $0.body) as? [String: Any]) }
    }

    @Test func anIdenticalDropHeldWhileItsTwinIsInFlightIsPostedOnce() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // Generations take about 1 s (real): the twin is still in flight when the second job is preflighted.
        try await E2E.withSimulator({ $0.timeScale = 0.2 }) { base, server, directory in
            try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }",
                                  extra: "verify: { mode: quick }\nnotify: { webhook: \"http://127.0.0.1:\(receiver.port)/hook\", on: [held] }\n", in: directory)
            try LivingCommandTests.drop("swan.txt", "a swan on a lake", in: directory)
            try LivingCommandTests.drop("swan-again.txt", "a swan on a lake", in: directory)
            let result = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.2"], in: directory)
            #expect(result.stdout.contains("1 archived, 1 failed, 0 held"), "the twin meets duplicate-of once the first is archived: \(result)")
            #expect(await server.stats().submitsAccepted == 1, "paid once")
            let bodies = try Self.bodies(receiver)
            #expect(bodies.count == 1, "one held event, no other (on: [held]): \(bodies)")
            let held = try #require(bodies.first)
            #expect(held["event"] as? String == "held" && held["state"] as? String == "held" && held["reason"] as? String == "duplicate-in-flight", "\(held)")
            #expect(["swan", "swan-again"].contains(held["name"] as? String ?? "") && (held["detail"] as? String)?.contains("being generated as") == true, "\(held)")
            let rows = try await E2E.run(["jobs", "e2e.yml", "--json"], in: directory).jsonArray()
            let twin = try #require(rows.first { $0["id"] as? String == held["job"] as? String })
            #expect((twin["reason"] as? String)?.hasPrefix("duplicate-of ") == true, "\(twin)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aClaimHeldByAFullDiskIsPostedOnceWithItsFilesLeftInTheDrop() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try await Self.withTinyDisk("512k") { disk in
            try await E2E.withSimulator { base, server, directory in
                // The ledger and the claimed inputs live on the tiny disk; the drop folder does not.
                let pipeline = """
                name: e2e
                drop: ./drop
                archive: ./archive
                failed: ./failed
                state: \(disk)/state
                api: { base: \(base.absoluteString) }
                settle_seconds: 0
                poll_seconds: 0.05
                notify: { webhook: "http://127.0.0.1:\(receiver.port)/hook", on: [held] }

                """
                try Data(pipeline.utf8).write(to: URL(fileURLWithPath: directory + "/e2e.yml"))
                try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
                let big = Data((0..<1_500_000).map { _ in UInt8.random(in: 0...255) })
                try big.write(to: URL(fileURLWithPath: directory + "/drop/big.png"))
                // A watching run tries the parked claim again every 30 nominal seconds (30 ms here): three tries, then stop.
                let run = try LivingCommandTests.Child.start(["run", "e2e.yml", "--time-scale", "0.001"], in: directory)
                let tried = try await LivingCommandTests.eventually {
                    ((try? String(contentsOfFile: run.stderr, encoding: .utf8)) ?? "").components(separatedBy: "big: claim held (disk-full)").count > 3
                }
                kill(run.process.processIdentifier, SIGTERM)
                let result = try await run.finish()
                #expect(tried, "the claim was not tried three times: \(result)")
                #expect(result.status == 0 && result.stdout.contains("stopped; 1 job will resume on the next run"), "\(result)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/drop/big.png")) == big, "the dropped file is untouched")
                let bodies = try Self.bodies(receiver)
                #expect(bodies.count == 1, "posted once, however often the claim is tried: \(bodies)")
                let held = try #require(bodies.first)
                #expect(held["event"] as? String == "held" && held["reason"] as? String == "disk-full" && held["name"] as? String == "big", "\(held)")
                #expect(held["state"] as? String == "detected", "the job stays where the ledger has it: \(held)")
                #expect(await server.stats().submitsAccepted == 0)
            }
        }
    }

    /// Runs `body` with a fresh tmpfs of `size` mounted, unmounted afterwards; child processes are awaited off the pool.
    static func withTinyDisk(_ size: String, _ body: (String) async throws -> Void) async throws {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", disk]
        try mount.run()
        await ProcessWaiting.exit(of: mount)
        try #require(mount.terminationStatus == 0, "cannot mount a tmpfs here")
        let result: Result<Void, any Error>
        do { try await body(disk); result = .success(()) } catch { result = .failure(error) }
        let unmount = Process()
        unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
        unmount.arguments = [disk]
        if (try? unmount.run()) != nil { await ProcessWaiting.exit(of: unmount) }
        try? FileManager.default.removeItem(atPath: disk)
        try result.get()
    }
}
