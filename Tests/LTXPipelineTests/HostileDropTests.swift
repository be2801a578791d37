import Foundation
import LTXAPI
import LTXCore
import Testing
@testable import LTXPipeline

/// One bad entry in the drop folder must never stop the pipeline (issue 10): names compared as bytes, special
/// entries accounted for, oversized text refused unread, poison quarantined, duplicates in flight paid once.
@Suite("Hostile drops: every entry ends somewhere, one bad file never stops the run", .serialized)
struct HostileDropTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Creates `folder/name` from raw bytes (names that are not UTF-8 cannot pass through `String`).
    static func create(_ folder: String, rawName: [UInt8], contents: String) {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + rawName + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) } }
        precondition(fd >= 0)
        _ = contents.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    @Test func namesThatDifferOnlyInNormalisationAreTwoGroups() throws {
        let drop = try folder()
        let composed = "caf\u{E9}"           // é as one scalar
        let decomposed = "cafe\u{301}"       // e + combining acute
        #expect(composed == decomposed, "Swift String equality normalises: the reason names are keyed by bytes")
        try Data("one".utf8).write(to: URL(fileURLWithPath: drop + "/" + composed + ".txt"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: drop + "/" + decomposed + ".txt"))
        let watcher = DropWatcher(folder: drop, settleSeconds: 0, clock: PipelineClock(manual: ManualTime()), writers: { _, _ in false })
        let groups = try watcher.scan()
        #expect(groups.count == 2)
        #expect(Set(groups.map { Array($0.stem.utf8) }) == [Array(composed.utf8), Array(decomposed.utf8)])
        for group in groups { watcher.forget(group) }
        #expect(try watcher.scan().count == 2, "forgetting one name never forgets the other")
    }

    @Test func specialEntriesAndUndecodableNamesAreReportedOnceStill() async throws {
        let drop = try folder()
        #expect(mkfifo(drop + "/pipe.png", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: drop + "/album", withIntermediateDirectories: false)
        HostileDropTests.create(drop, rawName: Array("bad".utf8) + [0xFF, 0xFE] + Array(".txt".utf8), contents: "a prompt")
        try Data("a kite".utf8).write(to: URL(fileURLWithPath: drop + "/kite.txt"))
        let clock = PipelineClock(manual: ManualTime())
        let watcher = DropWatcher(folder: drop, settleSeconds: 2, clock: clock, writers: { _, _ in false })
        #expect(try watcher.scan().isEmpty)
        #expect(watcher.takeStrays().isEmpty, "still settling")
        #expect(try watcher.hasUnaccountedEntries())
        try await clock.sleep(2.5)
        let groups = try watcher.scan()
        #expect(groups.map(\.stem) == ["kite"])
        groups.forEach(watcher.forget)
        let strays = watcher.takeStrays()
        #expect(Set(strays.map(\.kind)) == [.fifo, .folder, .undecodableName])
        #expect(strays.first { $0.kind == .undecodableName }?.displayName == "bad%FF%FE.txt")
        #expect(strays.first { $0.kind == .fifo }?.reason == "unsupported-file")
        #expect(try watcher.scan().isEmpty && watcher.takeStrays().isEmpty, "each stray is handed out once")
    }

    @Test func aFileOpenForWritingIsNotClaimed() throws {
        let drop = try folder()
        let path = drop + "/growing.txt"
        try Data("a prompt still being written".utf8).write(to: URL(fileURLWithPath: path))
        var info = stat()
        #expect(lstat(path, &info) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        #expect(OpenWriters.isOpenForWriting(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        let watcher = DropWatcher(folder: drop, settleSeconds: 0, clock: PipelineClock(manual: ManualTime()))
        #expect(try watcher.scan().isEmpty, "a writer still holds the file")
        try handle.close()
        #expect(!OpenWriters.isOpenForWriting(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        #expect(try watcher.scan().map(\.stem) == ["growing"])
        let reader = try #require(FileHandle(forReadingAtPath: path))
        defer { try? reader.close() }
        #expect(!OpenWriters.isOpenForWriting(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), "readers do not count")
    }

    @Test func poisonCountsOnlyAttemptsThatNeverEnded() {
        func events(_ list: [(JobStage, String)]) -> [JobEvent] {
            list.map { JobEvent(jobID: "j", at: Date(), stage: $0.0, outcome: $0.1) }
        }
        #expect(PoisonCount.unendedAttempts(of: .preflight, in: events([(.claim, "ok"), (.preflight, "attempt"), (.preflight, "attempt")])) == 2)
        #expect(PoisonCount.unendedAttempts(of: .preflight, in: events([(.preflight, "attempt"), (.preflight, "ok"), (.submit, "retry"), (.preflight, "attempt")])) == 1)
        #expect(PoisonCount.unendedAttempts(of: .archive, in: events([(.archive, "attempt"), (.resume, "ok"), (.verify, "attempt"), (.verify, "ok"), (.archive, "attempt")])) == 2)
        #expect(PoisonCount.unendedAttempts(of: .archive, in: events([(.archive, "attempt"), (.hold, "disk-full"), (.resume, "ok"), (.archive, "attempt")])) == 1)
    }

    /// A job whose preflight was started `attempts` times and never finished, as crashes leave it in the ledger.
    static func crashedJob(_ lab: PipelineLab, name: String, prompt: String, attempts: Int) async throws -> String {
        let id = "20261126-000000-\(name)-0001"
        let inputs = lab.configuration.state + "/jobs/\(id)/inputs"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        try Data(prompt.utf8).write(to: URL(fileURLWithPath: inputs + "/\(name).txt"))
        let digest = try DurableFile.digest(of: inputs + "/\(name).txt")
        try FileManager.default.createDirectory(atPath: lab.configuration.state, withIntermediateDirectories: true)
        let ledger = try Ledger(path: PipelineSession.ledgerPath(lab.configuration))
        var job = JobRecord(id: id, pipeline: lab.configuration.name, name: name,
                            inputs: [JobInput(name: "\(name).txt", role: .prompt, size: digest.size, sha256: digest.sha256)], now: Date())
        job.state = .claimed
        try await ledger.insert(job, event: JobEvent(jobID: id, at: Date(), stage: .claim, outcome: "ok"))
        for _ in 0..<attempts {
            job = try await ledger.update(job, event: JobEvent(jobID: id, at: Date(), stage: .preflight, outcome: "attempt")) { _ in }
        }
        return id
    }

    @Test func aJobThatCrashedItsStageThreeTimesIsQuarantinedAndTheRunGoesOn() async throws {
        try await PipelineLab.with { lab in
            let poisoned = try await HostileDropTests.crashedJob(lab, name: "poison", prompt: "a crashing prompt", attempts: 3)
            let unlucky = try await HostileDropTests.crashedJob(lab, name: "unlucky", prompt: "a prompt that crashed twice", attempts: 2)
            try lab.drop(text: "a paper boat", as: "boat.txt")
            let summary = try await lab.runOnce()
            #expect(summary == RunSummary(archived: 2, failed: 1, held: 0))
            let jobs = try await lab.jobs()
            let poison = try #require(jobs.first { $0.id == poisoned })
            #expect(poison.state == .failed && poison.reason == .poison && poison.failedStage == .preflight)
            #expect(jobs.first { $0.id == unlucky }?.state == .archived, "two unended attempts are under the limit of three")
            let folder = lab.configuration.failed + "/poison"
            #expect(try String(contentsOfFile: folder + "/poison.txt", encoding: .utf8) == "a crashing prompt")
            let note = try PipelineLab.decoder.decode(FailureNote.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/error.json")))
            #expect(note.reason == "poison" && note.stage == "preflight")
            #expect(await lab.server.stats().submitsAccepted == 2)
        }
    }

    @Test func identicalDropsInFlightTogetherArePaidOnce() async throws {
        try await PipelineLab.with { lab in
            for name in ["first", "second", "third"] { try lab.drop(text: "the same red balloon", as: "\(name).txt") }
            let summary = try await lab.runOnce()
            #expect(summary == RunSummary(archived: 1, failed: 2, held: 0))
            #expect(await lab.server.stats().submitsAccepted == 1)
            let jobs = try await lab.jobs()
            let archived = try #require(jobs.first { $0.state == .archived })
            #expect(jobs.filter { $0.reason == .duplicate(of: archived.id) }.count == 2)
            #expect(lab.log.all.contains { $0.contains("held (duplicate-in-flight): identical inputs and parameters are being generated as \(archived.id)") })
        }
    }

    @Test func oversizedPromptAndSidecarFailTheirGroupsUnread() async throws {
        try await PipelineLab.with { lab in
            // A 256 MB prompt as a sparse file: the cap is checked on the size, so its bytes are never read.
            let huge = lab.drop + "/huge.txt"
            #expect(FileManager.default.createFile(atPath: huge, contents: Data("a".utf8)))
            #expect(truncate(huge, 256 * 1024 * 1024) == 0)
            try lab.drop(text: "a kite", as: "big.txt")
            try lab.drop(text: "{\"prompt\": \"" + String(repeating: "x", count: 70_000) + "\"}", as: "big.json")
            try lab.drop(text: "a paper boat", as: "boat.txt")
            let summary = try await lab.runOnce()
            #expect(summary == RunSummary(archived: 1, failed: 2, held: 0))
            let jobs = try await lab.jobs()
            #expect(jobs.first { $0.name == "huge" }?.reason == "prompt-too-long")
            #expect(jobs.first { $0.name == "huge" }?.detail?.contains("huge.txt is 268435456 bytes; ") == true)
            #expect(jobs.first { $0.name == "big" }?.reason == "sidecar-too-large")
            var info = stat()
            #expect(lstat(lab.configuration.failed + "/huge/huge.txt", &info) == 0 && info.st_size == 256 * 1024 * 1024)
        }
    }

    @Test func fifoFolderAndUndecodableNameEndInFailedAndTheRunEnds() async throws {
        try await PipelineLab.with { lab in
            #expect(mkfifo(lab.drop + "/pipe.mp3", 0o644) == 0)
            try FileManager.default.createDirectory(atPath: lab.drop + "/album", withIntermediateDirectories: false)
            try Data("inside".utf8).write(to: URL(fileURLWithPath: lab.drop + "/album/a.txt"))
            HostileDropTests.create(lab.drop, rawName: Array("bad".utf8) + [0xFF] + Array(".txt".utf8), contents: "a prompt")
            try lab.drop(text: "caf\u{E9} one", as: "caf\u{E9}.txt")
            try lab.drop(text: "cafe\u{301} two", as: "cafe\u{301}.txt")
            let summary = try await lab.runOnce()
            #expect(summary == RunSummary(archived: 2, failed: 3, held: 0))
            #expect(try FileManager.default.contentsOfDirectory(atPath: lab.drop).isEmpty, "nothing left unaccounted in the drop folder")
            let failed = lab.configuration.failed
            var info = stat()
            #expect(lstat(failed + "/pipe.mp3/pipe.mp3", &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
            #expect(FileManager.default.fileExists(atPath: failed + "/album/album/a.txt"))
            #expect(try String(contentsOfFile: failed + "/bad%FF.txt/bad%FF.txt", encoding: .utf8) == "a prompt")
            for name in ["pipe.mp3", "album", "bad%FF.txt"] {
                let note = try PipelineLab.decoder.decode(FailureNote.self, from: Data(contentsOf: URL(fileURLWithPath: failed + "/" + name + "/error.json")))
                #expect(note.reason == (name.hasPrefix("bad") ? "undecodable-name" : "unsupported-file"), "\(name)")
            }
            let jobs = try await lab.jobs()
            #expect(Set(jobs.filter { $0.state == .failed }.map(\.name)) == ["pipe.mp3", "album", "bad%FF.txt"])
            #expect(Set(jobs.filter { $0.state == .archived }.map { Array($0.name.utf8) }) == [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)])
        }
    }
}

@Suite("Ledger limits")
struct LedgerLimitTests {
    @Test func aValueTooBigForSQLiteIsATypedErrorNotATrap() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ledger = try Ledger(path: folder + "/ledger.sqlite")
        let job = JobRecord(id: "j1", pipeline: "p", name: "n", inputs: [], now: Date())
        try await ledger.insert(job, event: JobEvent(jobID: "j1", at: Date(), stage: .detect, outcome: "ok"))
        let huge = String(repeating: "x", count: LedgerLimits.maxTextBytes + 1)
        await #expect(throws: LedgerError.self) {
            try await ledger.update(job, event: JobEvent(jobID: "j1", at: Date(), stage: .claim, outcome: "ok")) { $0.detail = huge }
        }
        #expect(try await ledger.job("j1")?.detail == nil, "nothing half-written")
        #expect(try await ledger.events(for: "j1").count == 1)
    }
}
