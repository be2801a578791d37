import Foundation
import LTXAPI
import LTXMedia
import LTXSimulator
import Testing
@testable import LTXPipeline

@Suite("Drop-folder pipeline, end to end against the simulator", .serialized)
struct PipelineRunTests {
    @Test(arguments: [DialectName.generations, .ltxV2])
    func mixedDropEndsInTheRightBagsAndFailures(dialect: DialectName) async throws {
        try await PipelineLab.with(dialect: dialect) { lab in
            let dropped: [(fixture: String, name: String)] = [
                ("media/prompt.txt", "kite.txt"),
                ("media/quadrants-4x3.jpg", "cards.jpg"),
                ("media/portrait-exif6.jpg", "portrait.jpg"),
                ("media/music-12s.flac", "song.flac"),
                ("damaged/truncated.jpg", "broken.jpg"),
            ]
            for file in dropped { try lab.drop(fixture: file.fixture, as: file.name) }
            try lab.drop(text: "four cards fan out", as: "cards.txt")
            let proModel = dialect == .ltxV2 ? "ltx-2-3-pro" : "ltx-2-pro"   // ltx-2-pro left api.ltx.video on 2026-08-15
            try lab.drop(text: "{\"prompt\": \"a paper boat\", \"model\": \"\(proModel)\", \"duration\": 8}", as: "song.json")
            try lab.drop(text: "not a prompt", as: "notes.docx")
            try lab.drop(text: "partial", as: "later.mp4.part")
            let originals = Dictionary(uniqueKeysWithValues: try FileManager.default.contentsOfDirectory(atPath: lab.drop)
                .map { ($0, PipelineLab.sha256(lab.drop + "/" + $0) ?? "") })

            let summary = try await lab.runOnce()
            let failures = try await lab.jobs().filter { $0.state == .failed }.map { "\($0.name): \($0.reason?.rawValue ?? "") \($0.detail ?? "")" }
            #expect(summary == RunSummary(archived: 4, failed: 2, held: 0), "\(failures)")

            let bags = lab.bags()
            #expect(bags.count == 4)
            for bag in bags {
                #expect(BagItValidator(bag).violations().isEmpty, "\(bag): \(BagItValidator(bag).violations())")
                let report = try #require(try? PipelineLab.decoder.decode(VerificationReport.self, from: Data(contentsOf: URL(fileURLWithPath: bag + "/data/verification.json"))))
                #expect(report.passed)
                #expect(FileManager.default.fileExists(atPath: bag + "/data/poster.jpg"))
                let request = try String(contentsOfFile: bag + "/data/request.json", encoding: .utf8)
                #expect(!request.contains(PipelineLab.key))
            }
            let song = try #require(bags.first { $0.contains("-song-") })
            let info = PipelineLab.bagInfo(song)
            #expect(info["Model"] == proModel)
            #expect(info["Duration"] == "8")
            #expect(info["Dialect"] == dialect.rawValue)
            #expect(info["Prompt"] == "a paper boat")
            #expect(FileManager.default.fileExists(atPath: song + "/data/inputs/preflight/song.mp3"))
            let portrait = try #require(bags.first { $0.contains("-portrait-") })
            #expect(PipelineLab.bagInfo(portrait)["Prompt"] == "a pipeline default prompt")

            // Every dropped file is in exactly one place, byte for byte; only the .part file stays in the drop folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: lab.drop) == ["later.mp4.part"])
            for (name, digest) in originals where name != "later.mp4.part" {
                let stem = (name as NSString).deletingPathExtension
                var places = bags.map { $0 + "/data/inputs/" + name }.filter { FileManager.default.fileExists(atPath: $0) }
                let failed = lab.configuration.failed + "/" + stem + "/" + name
                if FileManager.default.fileExists(atPath: failed) { places.append(failed) }
                #expect(places.count == 1, "\(name) is in \(places)")
                if let place = places.first { #expect(PipelineLab.sha256(place) == digest, "\(name) changed") }
            }
            let broken = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: lab.configuration.failed + "/broken/error.json"))) as? [String: Any]
            #expect(broken?["stage"] as? String == "preflight")
            #expect(broken?["reason"] as? String == "damaged")
            let notes = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: lab.configuration.failed + "/notes/error.json"))) as? [String: Any]
            #expect(notes?["reason"] as? String == "unsupported-file")

            let stats = await lab.server.stats()
            #expect(stats.submitsAccepted == 4)
            #expect(stats.authorizationOnDownloads == 0)
            #expect(!FileManager.default.fileExists(atPath: lab.configuration.state + "/jobs") || lab.files(under: lab.configuration.state + "/jobs").isEmpty)
            #expect(!lab.log.all.joined().contains(PipelineLab.key))
        }
    }

    @Test("a line the runner writes never carries the session's key, whatever log the caller gave")
    func runnerLinesHideTheKey() async throws {
        try await PipelineLab.with { lab in
            let session = try await lab.openSession()
            defer { Task { await session.close() } }
            await session.runner.log("refused: Authorization: Bearer \(PipelineLab.key)")
            let lines = lab.log.all
            #expect(lines == ["refused: Authorization: Bearer [key]"])
            #expect(!lines.contains { $0.contains(PipelineLab.key) })
        }
    }

    @Test func wrongFrameCountIsFailedWithItsReportNeverArchived() async throws {
        try await PipelineLab.with(configure: { $0.faults.wrongFrameCount = 1 }) { lab in
            try lab.drop(text: "a lighthouse at dusk", as: "light.txt")
            let summary = try await lab.runOnce()
            #expect(summary.failed == 1 && summary.archived == 0)
            #expect(lab.bags().isEmpty)
            let folder = lab.configuration.failed + "/light"
            #expect(lab.files(under: folder) == ["error.json", "light.txt", "verification.json", "video.mp4"])
            let report = try PipelineLab.decoder.decode(VerificationReport.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/verification.json")))
            #expect(report.failures.map(\.name).contains("frame_count_8n+1"))
            let job = try #require(try await lab.jobs().first)
            #expect(job.state == .failed && job.reason == "verification-failed")
        }
    }

    @Test func truncatedDownloadRecoversAndArchives() async throws {
        try await PipelineLab.with(configure: { $0.faults.truncatedDownloads = 1 }) { lab in
            try lab.drop(text: "a kettle boiling", as: "kettle.txt")
            let summary = try await lab.runOnce()
            #expect(summary.archived == 1)
            #expect(await lab.server.stats().requests.download == 2)
            let events = try await Ledger(path: PipelineSession.ledgerPath(lab.configuration)).events(for: try #require(try await lab.jobs().first).id)
            #expect(events.contains { $0.stage == .download && ($0.detail ?? "").contains("resumed") })
        }
    }

    @Test func noCreditsHoldsAndALaterRunWithCreditsFinishes() async throws {
        try await PipelineLab.with(configure: { $0.credits = 0.05 }) { lab in
            try lab.drop(text: "a fox in the snow", as: "fox.txt")
            let first = try await lab.runOnce()
            #expect(first.held == 1)
            let held = try #require(try await lab.jobs().first)
            #expect(held.state == .held && held.reason == "insufficient-credits")
            #expect(FileManager.default.fileExists(atPath: lab.configuration.state + "/jobs/\(held.id)/inputs/fox.txt"))

            await lab.server.setCredits(10)
            let second = try await lab.runOnce()
            #expect(second.archived == 1 && second.held == 0 && second.failed == 0)
            #expect(await lab.server.stats().submitsAccepted == 1)
        }
    }

    @Test func identicalDropIsNotPaidForTwiceUnlessForced() async throws {
        try await PipelineLab.with { lab in
            try lab.drop(text: "a red balloon", as: "balloon.txt")
            #expect(try await lab.runOnce().archived == 1)
            try lab.drop(text: "a red balloon", as: "balloon.txt")
            let again = try await lab.runOnce()
            #expect(again.failed == 1)
            let duplicate = try #require(try await lab.jobs().last)
            #expect(duplicate.reason?.rawValue.hasPrefix("duplicate-of ") == true)
            #expect(await lab.server.stats().submitsAccepted == 1)

            try lab.drop(text: "a red balloon", as: "balloon.txt")
            try lab.drop(text: "{\"force\": true}", as: "balloon.json")
            #expect(try await lab.runOnce().archived == 1)
            #expect(await lab.server.stats().submitsAccepted == 2)
        }
    }

    @Test func overBudgetIsHeldAndNeverSubmitted() async throws {
        try await PipelineLab.with(pipeline: { $0.budget = .init(perJob: 0.10, total: 5) }) { lab in
            try lab.drop(text: "a city at night", as: "city.txt")
            let summary = try await lab.runOnce()
            #expect(summary.held == 1)
            let job = try #require(try await lab.jobs().first)
            #expect(job.reason == "budget")
            #expect(await lab.server.stats().requests.submit == 0)
        }
    }

    @Test func uncertainSubmitIsHeldAndNotResentUnlessAllowed() async throws {
        try await PipelineLab.with(configure: { $0.faults.resetAfterSubmit = 1 }) { lab in
            try lab.drop(text: "a waterfall", as: "falls.txt")
            #expect(try await lab.runOnce().held == 1)
            #expect(try await lab.runOnce().held == 1)
            let job = try #require(try await lab.jobs().first)
            #expect(job.state == .held && job.reason == "uncertain-submit")
            #expect(await lab.server.stats().submitsAccepted == 1)

            lab.configuration.resubmitUncertain = true
            #expect(try await lab.runOnce().archived == 1)
            #expect(await lab.server.stats().submitsAccepted == 2)
        }
    }

    @Test func wrongKeyHoldsEveryJobAndStopsSubmitting() async throws {
        try await PipelineLab.with { lab in
            for i in 0..<5 { try lab.drop(text: "prompt \(i)", as: "p\(i).txt") }
            let summary = try await lab.runOnce(key: "wrong-key")
            #expect(summary.held == 5)
            #expect(try await lab.jobs().allSatisfy { $0.reason == "unauthorized" })
            let stats = await lab.server.stats()
            #expect(stats.unauthorized == 1, "submitting should stop after the first 401")
        }
    }

    @Test func aRestartPollsTheKnownGenerationInsteadOfSubmittingAgain() async throws {
        try await PipelineLab.with(scale: 0.01, configure: { $0.fastLatency = 40...40 }) { lab in
            try lab.drop(text: "a windmill turning", as: "mill.txt")
            let configuration = lab.configuration
            let log = lab.log
            let session = try await PipelineSession.open(configuration, environment: ["LTX_API_KEY": PipelineLab.key], timeScale: 0.01, log: { log.append($0) })
            let run = Task { try await session.runner.run(once: true) }
            let ledger = try Ledger(path: PipelineSession.ledgerPath(configuration))
            for _ in 0..<400 {
                if try await ledger.jobs().first?.state == .submitted { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            run.cancel()
            _ = try? await run.value
            await session.close()
            let interrupted = try #require(try await ledger.jobs().first)
            #expect(interrupted.state == .submitted)
            #expect(interrupted.generationID != nil)

            let summary = try await lab.runOnce(scale: 0.01)
            #expect(summary.archived == 1)
            let stats = await lab.server.stats()
            #expect(stats.submitsAccepted == 1)
            #expect(stats.requests.submit == 1)
        }
    }

    @Test func hiddenPartialAndSymlinkedFilesAreNeverFollowed() async throws {
        try await PipelineLab.with { lab in
            let outside = lab.root + "/secret.txt"
            try Data("outside the drop folder".utf8).write(to: URL(fileURLWithPath: outside))
            try FileManager.default.createSymbolicLink(atPath: lab.drop + "/sneaky.txt", withDestinationPath: outside)
            try lab.drop(text: "hidden", as: ".hidden.txt")
            try lab.drop(text: "downloading", as: "movie.crdownload")
            let summary = try await lab.runOnce()
            #expect(summary.failed == 1 && summary.archived == 0)
            let folder = lab.configuration.failed + "/sneaky"
            var info = stat()
            #expect(lstat(folder + "/sneaky.txt", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
            #expect(try String(contentsOfFile: outside, encoding: .utf8) == "outside the drop folder")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: lab.drop)) == [".hidden.txt", "movie.crdownload"])
            #expect(await lab.server.stats().requests.submit == 0)
        }
    }

    @Test func anExpiredLtxV2JobFailsAsExpiredAndIsNotResubmitted() async throws {
        try await PipelineLab.with(scale: 0.01, dialect: .ltxV2, configure: { $0.fastLatency = 40...40 }) { lab in
            try lab.drop(text: "a glacier calving", as: "ice.txt")
            let configuration = lab.configuration
            let session = try await PipelineSession.open(configuration, environment: ["LTX_API_KEY": PipelineLab.key], timeScale: 0.01, log: { _ in })
            let run = Task { try await session.runner.run(once: true) }
            let ledger = try Ledger(path: PipelineSession.ledgerPath(configuration))
            for _ in 0..<400 {
                if try await ledger.jobs().first?.state == .submitted { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            run.cancel()
            _ = try? await run.value
            await session.close()
            await lab.server.advanceTime(by: 25 * 3600)
            let summary = try await lab.runOnce(scale: 0.01)
            #expect(summary.failed == 1)
            let job = try #require(try await lab.jobs().first)
            #expect(job.state == .failed && job.reason == "expired")
            #expect(await lab.server.stats().requests.submit == 1)
            #expect(FileManager.default.fileExists(atPath: lab.configuration.failed + "/ice/ice.txt"))
        }
    }

    @Test func ltxV2SyncModeArchivesTheVideoFromOneCall() async throws {
        try await PipelineLab.with(dialect: .ltxV2, pipeline: { $0.api.sync = true }) { lab in
            try lab.drop(text: "a lighthouse beam", as: "beam.txt")
            let summary = try await lab.runOnce()
            #expect(summary.archived == 1)
            let stats = await lab.server.stats()
            #expect(stats.syncSubmits == 1 && stats.requests.poll == 0)
            let bag = try #require(lab.bags().first)
            #expect(BagItValidator(bag).violations().isEmpty)
            #expect(PipelineLab.bagInfo(bag)["Generation-Id"]?.hasPrefix("sync-") == true)
        }
    }

    @Test func aProxy413SendsTheInputsThroughTheUploadEndpointOnce() async throws {
        try await PipelineLab.with(dialect: .ltxV2, configure: { $0.faults.proxyTooLarge = 1 }) { lab in
            try lab.drop(fixture: "media/landscape-16x9.jpg", as: "field.jpg")
            let summary = try await lab.runOnce()
            #expect(summary.archived == 1, "\(lab.log.all)")
            let stats = await lab.server.stats()
            #expect(stats.requests.submit == 2, "one refused inline submit, one through an upload")
            #expect(stats.uploads == 1 && stats.authorizationOnUploads == 0)
            #expect(stats.submitsAccepted == 1)
        }
    }

    @Test func ltxV2RunsExactlyTwoGenerationsAtOnceAndNeverCausesAConcurrency429() async throws {
        try await PipelineLab.with(dialect: .ltxV2, configure: { $0.fastLatency = 20...30 }) { lab in
            for i in 0..<6 { try lab.drop(text: "a lantern number \(i)", as: "lantern\(i).txt") }
            let summary = try await lab.runOnce()
            #expect(summary.archived == 6, "\(lab.log.all)")
            let stats = await lab.server.stats()
            #expect(stats.concurrencyLimited == 0)
            #expect((1...2).contains(stats.peakConcurrentGenerations), "never more than the account's two generations at once")
            #expect(stats.submitsAccepted == 6)
            let ledger = try Ledger(path: PipelineSession.ledgerPath(lab.configuration))
            let learned = try await ledger.latencies(key: "ltx-v2 ltx-2-3-fast 1920x1080")
            #expect(learned.count == 6, "each generation's latency is kept for the next polls, across runs")
            #expect(learned.allSatisfy { $0 > 0 }, "\(learned)")
        }
    }

    @Test func inotifyNoticesADropLongBeforeTheNextPoll() async throws {
        // Polls 40 real seconds apart: only inotify can make the runner see the new file within seconds.
        try await PipelineLab.with(pipeline: { $0.pollSeconds = 20_000 }) { lab in
            let configuration = lab.configuration
            let session = try await PipelineSession.open(configuration, environment: ["LTX_API_KEY": PipelineLab.key], timeScale: 0.002, log: { _ in })
            let run = Task { try await session.runner.run(once: false) }
            // Drop only once the runner has scanned and gone to wait: a drop seen by its first scan proves nothing.
            await session.runner.waitUntilWatching()
            try lab.drop(text: "a heron taking off", as: "heron.txt")
            let ledger = try Ledger(path: PipelineSession.ledgerPath(configuration))
            let started = ContinuousClock.now
            var archived = false
            while ContinuousClock.now - started < .seconds(15) {
                if try await ledger.jobs().first?.state == .archived { archived = true; break }
                try await Task.sleep(for: .milliseconds(20))
            }
            run.cancel()
            _ = try? await run.value
            await session.close()
            #expect(archived, "the drop was not picked up before the next poll")
        }
    }
}
