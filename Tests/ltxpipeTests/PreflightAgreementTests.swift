import Foundation
import LTXSimulator
import Testing

/// `ltxpipe preflight` and `ltxpipe run` go through the same preflight: for every sample input, the command's
/// verdict (exit 2 = refused) and its actions are what the pipeline did with the same file.
@Suite("preflight and run agree on every fixture", .serialized)
struct PreflightAgreementTests {
    static let images = ["media/anim-4x3.gif", "media/frame-16x9.bmp", "media/landscape-16x9.jpg", "media/logo-alpha.png",
                         "media/orange-16bit-4x3.png", "media/portrait-exif6.jpg", "media/quadrants-4x3.jpg", "media/still-16x9.webp",
                         "media/teal-16x9.tif", "damaged/empty.png", "damaged/no-iend.png", "damaged/text-renamed.png",
                         "damaged/truncated.jpg", "damaged/bomb-60000x60000.png", "drop/cards.jpg", "drop/portrait.jpg", "drop/broken.jpg"]
    static let sounds = ["media/music-12s.flac", "media/tone-1s.ogg", "media/tone-4s.mp3", "media/voice-3s.wav", "damaged/corrupt.mp3", "drop/song.flac"]

    @Test func preflightAndRunAgree() async throws {
        try await GenerateCommandTests.withSimulator { base, _, directory in
            try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
            var names: [String: String] = [:]
            for (index, fixture) in (Self.images + Self.sounds).enumerated() {
                let name = String(format: "f%02d.", index) + URL(fileURLWithPath: fixture).pathExtension
                names[name] = fixture
                try FileManager.default.copyItem(atPath: Support.fixture(fixture), toPath: directory + "/drop/" + name)
            }
            try GenerateCommandTests.writePipeline("agree", api: "{ base: \(base.absoluteString), dialect: generations }",
                                                   extra: "prompt: \"a still comes to life\"\n", in: directory)
            let run = try await GenerateCommandTests.run(["run", "agree.yml", "--once", "--time-scale", "0.001"], in: directory)
            #expect(run.status == 0 || run.status == 1, "\(run)")
            let jobs = try await GenerateCommandTests.run(["jobs", "agree.yml", "--json"], in: directory)
            let rows = try jobs.jsonArray()
            #expect(rows.count == names.count)
            for row in rows {
                let stem = try #require(row["name"] as? String)
                let name = try #require(names.keys.first { $0.hasPrefix(stem + ".") })
                let fixture = try #require(names[name])
                let mode = Self.sounds.contains(fixture) ? "audio-to-video" : "image-to-video"
                let cli = try await GenerateCommandTests.run(["preflight", "--dialect", "generations", "--mode", mode, "--json",
                                                              Support.fixture(fixture), "--out", directory + "/cli-\(stem)"], in: directory)
                let state = row["state"] as? String
                if cli.status == 2 {
                    #expect(state == "failed", "\(fixture): preflight refuses it, the pipeline made it \(state ?? "?")")
                    let note = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/failed/\(stem)/error.json"))) as? [String: Any]
                    #expect(note?["stage"] as? String == "preflight", "\(fixture): failed at \(note?["stage"] ?? "?"), not at preflight")
                    continue
                }
                #expect(cli.status == 0, "\(fixture): \(cli)")
                if let reason = row["reason"] as? String, reason.hasPrefix("duplicate-of ") {
                    // drop/ holds byte-identical copies of media/ fixtures: the second of a pair in flight together is
                    // held until the first is archived, then refused as its duplicate (paid once).
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: Support.fixture(fixture)))
                    let twins = names.values.filter { $0 != fixture && FileManager.default.contents(atPath: Support.fixture($0)) == bytes }
                    #expect(!twins.isEmpty, "\(fixture): \(reason), but no other fixture has its bytes")
                    continue
                }
                #expect(state == "archived", "\(fixture): preflight accepts it, the pipeline made it \(state ?? "?") (\(row["reason"] ?? ""): \(row["detail"] ?? ""))")
                let bag = try #require(row["bag"] as? String)
                let report = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
                let bagReports = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bag + "/data/preflight.json"))) as? [[String: Any]])
                #expect(Self.actions(report) == Self.actions(try #require(bagReports.first)), "\(fixture): different actions")
            }
        }
    }

    static func actions(_ report: [String: Any]) -> [String] {
        ((report["actions"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
    }
}
