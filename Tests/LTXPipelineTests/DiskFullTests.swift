import Foundation
import LTXCore
import Testing
@testable import LTXPipeline

/// A full disk holds work with a reason and never leaves half-filed folders (issue 10). The disks are real: a small
/// tmpfs mounted for the test (root only; skipped elsewhere).
@Suite("Disk full: held with a reason, filings atomic", .serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct DiskFullTests {
    /// A fresh tmpfs of `size` (for example `256k`), unmounted when `body` returns.
    static func withTinyDisk(_ size: String, _ body: (String) async throws -> Void) async throws {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "cannot mount a tmpfs here")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [point]
            try? unmount.run()
            unmount.waitUntilExit()
            try? FileManager.default.removeItem(atPath: point)
        }
        try await body(point)
    }

    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test func aFilingCutShortByAFullDiskLeavesNoFolderWithoutErrorJSON() async throws {
        try await DiskFullTests.withTinyDisk("256k") { root in
            let source = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).png").path
            try DiskFullTests.randomBytes(600_000).write(to: URL(fileURLWithPath: source))
            defer { try? FileManager.default.removeItem(atPath: source) }
            let note = FailureNote(job: "20261126-000000-big-0001", stage: "preflight", reason: "damaged", detail: "x", time: "now", generationID: nil)
            #expect(throws: DurableFileError.self) {
                try FailedFolder.file([(source, "big.png")], name: "big", note: note, root: root)
            }
            do {
                _ = try FailedFolder.file([(source, "big.png")], name: "big", note: note, root: root)
            } catch {
                #expect((error as? DurableFileError)?.isDiskFull == true, "\(error)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [".filing-20261126-000000-big-0001"], "only the hidden staging folder")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/.filing-20261126-000000-big-0001") == ["error.json"], "no temporary file left")
            #expect(FileManager.default.fileExists(atPath: source), "the original is kept")

            try Data("small".utf8).write(to: URL(fileURLWithPath: source))
            let folder = try FailedFolder.file([(source, "big.png")], name: "big", note: note, root: root)
            #expect(folder == root + "/big")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["error.json", "big.png"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["big"])
        }
    }

    @Test func aClaimThatFillsTheStateDiskIsHeldAndTheRunEndsNonZero() async throws {
        try await DiskFullTests.withTinyDisk("512k") { disk in
            try await PipelineLab.with(pipeline: { $0.state = disk + "/state" }) { lab in
                let big = DiskFullTests.randomBytes(1_500_000)
                try big.write(to: URL(fileURLWithPath: lab.drop + "/big.png"))
                let summary = try await lab.runOnce()
                #expect(summary.held >= 1, "work is left, so the run must not look clean")
                let jobs = try await lab.jobs()
                let held = try #require(jobs.first { $0.name == "big" })
                #expect(held.state == .detected && held.reason == .diskFull, "\(held.state) \(String(describing: held.reason)) \(held.detail ?? "")")
                #expect(try Data(contentsOf: URL(fileURLWithPath: lab.drop + "/big.png")) == big, "the dropped file is untouched")
                #expect(jobs.filter { $0.name == "big" }.count == 1, "the parked group is not taken again as a new job")
                #expect(lab.log.all.contains { $0.contains("big: claim held (disk-full)") })
            }
        }
    }

    @Test func aWatchingRunClaimsAgainOnceRoomIsMade() async throws {
        try await DiskFullTests.withTinyDisk("4m") { disk in
            try await PipelineLab.with(pipeline: { $0.state = disk + "/state" }) { lab in
                let filler = disk + "/filler"
                try DiskFullTests.randomBytes(3_500_000).write(to: URL(fileURLWithPath: filler))
                try DiskFullTests.randomBytes(1_000_000).write(to: URL(fileURLWithPath: lab.drop + "/noise.png"))
                let log = lab.log
                let session = try await PipelineSession.open(lab.configuration, environment: ["LTX_API_KEY": PipelineLab.key], timeScale: 0.002,
                                                             log: { log.append($0) })
                let run = Task { try await session.runner.run(once: false) }
                while !log.all.contains(where: { $0.contains("noise: claim held (disk-full)") }) { try await Task.sleep(for: .milliseconds(20)) }
                try FileManager.default.removeItem(atPath: filler)
                while try await !lab.jobs().contains(where: { $0.name == "noise" && $0.state == .failed && $0.failedFolder != nil }) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                run.cancel()
                _ = try? await run.value
                await session.close()
                let jobs = try await lab.jobs()
                #expect(jobs.count == 1, "the retried claim is the same job, not a second one")
                #expect(jobs.first?.failedStage == .preflight, "claimed once room was made, then refused as not an image")
                #expect(try FileManager.default.contentsOfDirectory(atPath: lab.drop).isEmpty)
            }
        }
    }
}
