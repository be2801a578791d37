import Foundation
import LTXMedia
import Synchronization
import Testing
@testable import LTXPipeline

@Suite("Contact sheet made once: on the deep verification's decode, else by the archive step", .serialized)
struct ContactSheetReuseTests {
    /// Counts the archive step's own decodes for a contact sheet.
    final class DecodeCount: Sendable {
        let value = Atomic<Int>(0)
        var source: @Sendable (String) throws(MediaError) -> ContactSheet {
            { path throws(MediaError) in
                self.value.add(1, ordering: .sequentiallyConsistent)
                return try ContactSheet.make(fromVideo: path)
            }
        }
    }

    /// Runs `lab`'s pipeline once with the archive step's sheet decodes counted by `count`.
    private func run(_ lab: PipelineLab, counting count: DecodeCount) async throws -> RunSummary {
        let session = try await lab.openSession()
        await session.runner.useContactSheetSource(count.source)
        defer { Task { await session.close() } }
        return try await session.runner.run(once: true)
    }

    /// The bag's sheet and poster equal those a separate decode of the bag's video makes.
    private func expectSheetOfItsVideo(_ bag: String) throws {
        let separate = try ContactSheet.make(fromVideo: bag + "/data/video.mp4")
        let sheet = try Data(contentsOf: URL(fileURLWithPath: bag + "/data/contact-sheet.jpg"))
        let poster = try Data(contentsOf: URL(fileURLWithPath: bag + "/data/poster.jpg"))
        #expect(sheet == Data(separate.jpeg))
        #expect(poster == Data(separate.poster))
    }

    @Test func deepVerificationMakesTheSheetAndTheArchiveStepDecodesNothing() async throws {
        try await PipelineLab.with { lab in
            #expect(lab.configuration.verify.deep)
            try lab.drop(text: "a kite over the dunes", as: "kite.txt")
            try lab.drop(text: "a boat on a lake", as: "boat.txt")
            let count = DecodeCount()
            let summary = try await run(lab, counting: count)
            #expect(summary == RunSummary(archived: 2, failed: 0, held: 0))
            #expect(count.value.load(ordering: .sequentiallyConsistent) == 0)
            let bags = lab.bags()
            #expect(bags.count == 2)
            for bag in bags { try expectSheetOfItsVideo(bag) }
        }
    }

    @Test func quickVerificationLeavesTheSheetToTheArchiveStep() async throws {
        try await PipelineLab.with(pipeline: { $0.verify = .init(mode: .quick, content: nil) }) { lab in
            try lab.drop(text: "a kite over the dunes", as: "kite.txt")
            let count = DecodeCount()
            let summary = try await run(lab, counting: count)
            #expect(summary == RunSummary(archived: 1, failed: 0, held: 0))
            #expect(count.value.load(ordering: .sequentiallyConsistent) == 1)
            let bag = try #require(lab.bags().first)
            try expectSheetOfItsVideo(bag)
        }
    }

    @Test func withoutTheVerifiedSheetTheArchiveStepMakesTheSameOne() async throws {
        // As after a restart between verify and archive: no sheet in memory, so the archive step decodes the video.
        try await PipelineLab.with { lab in
            let video = lab.root + "/clip.mp4"
            try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: Rational(25, 1), frameCount: 17, audio: false), to: video)
            let verified = try VideoVerifier.verifyMakingContactSheet(video, against: VerificationRequest(deep: true))
            let made = try #require(verified.contactSheet)
            let session = try await PipelineSession.open(lab.configuration, environment: ["LTX_API_KEY": PipelineLab.key], timeScale: 0.002, log: { _ in })
            let count = DecodeCount()
            await session.runner.useContactSheetSource(count.source)
            let sheet = try await session.runner.contactSheet(job: "resumed", video: video)
            #expect(count.value.load(ordering: .sequentiallyConsistent) == 1)
            #expect(sheet.jpeg == made.jpeg && sheet.poster == made.poster && sheet.frameIndices == made.frameIndices)
            await session.close()
        }
    }
}
