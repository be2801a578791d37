import Foundation
import LTXMedia
import Testing
@testable import LTXPipeline

@Suite("ArchiveIndex")
struct ArchiveIndexTests {
    /// A bag written by `BagWriter` with a small video, its contact sheet and poster, a verification report and
    /// bag-info fields as `BagAssembler` writes them.
    private func writeBag(in folder: String, id: String, prompt: String, cost: String = "0.1200", passed: Bool = true) throws -> Bag {
        let work = BagTestKit.path(folder, "work-\(id)")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let video = BagTestKit.path(work, "video.mp4")
        try TestPatternWriter.write(TestPattern(width: 64, height: 36, fps: Rational(25, 1), frameCount: 17, audio: false), to: video)
        let sheet = try ContactSheet.make(fromVideo: video, tileBox: 32)
        let verification = """
        {"checks":[{"name":"fps","expected":"25/1","actual":"25/1","passed":true},
        {"name":"resolution","expected":"64x36","actual":"64x36","passed":\(passed)}],
        "measured":{"width":64,"height":36,"fps":"25/1","frames":17,"duration":0.68},"mode":"quick","passed":\(passed)}
        """
        let contents = BagContents(
            jobID: id, date: BagTestKit.date,
            files: [.init(source: video, name: "video.mp4", move: true)],
            documents: [
                "verification.json": Data(verification.utf8), "poster.jpg": Data(sheet.poster), "contact-sheet.jpg": Data(sheet.jpeg),
            ],
            info: [("Internal-Sender-Identifier", id), ("Mode", "text-to-video"), ("Model", "ltx-2-3-fast"), ("Resolution", "64x36"),
                   ("Duration", "1"), ("FPS", "25"), ("Prompt", prompt), ("Dialect", "ltx-v2"), ("Cost", cost),
                   ("Cost-Basis", "price-table estimate (the service reports no cost)"), ("Archived", "2023-11-14T22:13:\(id.suffix(2))Z")])
        return try BagWriter.write(contents, archiveRoot: BagTestKit.path(folder, "archive"))
    }

    @Test("one card per bag, newest first, with what the bag says; every link points at a file of the bag")
    func oneCardPerBag() throws {
        try BagTestKit.withFolder { folder in
            _ = try writeBag(in: folder, id: "job-01", prompt: "a red kite over the sea")
            _ = try writeBag(in: folder, id: "job-02", prompt: "a rowing boat", cost: "unknown", passed: false)
            _ = try writeBag(in: folder, id: "job-03", prompt: "a lighthouse at dusk")
            let archive = BagTestKit.path(folder, "archive")
            let cards = try ArchiveIndex.write(root: archive, now: BagTestKit.date)
            #expect(cards.map(\.jobID) == ["job-03", "job-02", "job-01"])
            let kite = try #require(cards.last)
            #expect(kite.prompt == "a red kite over the sea" && kite.model == "ltx-2-3-fast" && kite.provider == "ltx-v2")
            #expect(kite.resolution == "64x36" && kite.fps == "25/1" && kite.duration == 0.68 && kite.cost == 0.12)
            #expect(kite.verification == "passed" && kite.verificationDetail == "quick: 2 of 2 checks passed")
            #expect(kite.hasVideo && kite.hasPoster && kite.hasContactSheet && kite.problems.isEmpty)
            #expect(cards[1].verification == "failed" && cards[1].verificationDetail == "quick: failed: resolution" && cards[1].cost == nil)

            let html = try String(contentsOfFile: BagTestKit.path(archive, "index.html"), encoding: .utf8)
            #expect(html.components(separatedBy: "<article class=\"card\"").count - 1 == 3)
            #expect(html.contains("a red kite over the sea") && html.contains("3 bags · $0.24 spent (+ 1 of unknown cost)"))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "no external URL")
            // Every src and href is relative and names a file that exists.
            let links = Self.attributeValues(html, "src") + Self.attributeValues(html, "href")
            #expect(links.count == 3 * 7, "\(links)")
            for link in links {
                let path = try #require(link.removingPercentEncoding)
                #expect(!path.hasPrefix("/") && FileManager.default.fileExists(atPath: BagTestKit.path(archive, path)), "\(link)")
            }
            // Written whole: no temporary file beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: archive).sorted() == ["2023-11-14", "index.html"])
        }
    }

    @Test("prompts are text: markup, quotes and control characters in a bag render as text")
    func escaping() throws {
        try BagTestKit.withFolder { folder in
            let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"quoted\"\u{202E}"
            _ = try writeBag(in: folder, id: "job-01", prompt: hostile)
            let archive = BagTestKit.path(folder, "archive")
            try ArchiveIndex.write(root: archive)
            let html = try String(contentsOfFile: BagTestKit.path(archive, "index.html"), encoding: .utf8)
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;\\u{202e}"))
            #expect(!html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("\u{202E}"))
            #expect(html.components(separatedBy: "<script>").count - 1 == 1, "only the page's own script")
        }
    }

    @Test("an empty archive gets a page saying so; a bag whose tag files are damaged still gets its card, naming the problem")
    func emptyAndDamaged() throws {
        try BagTestKit.withFolder { folder in
            let archive = BagTestKit.path(folder, "archive")
            try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
            #expect(try ArchiveIndex.write(root: archive).isEmpty)
            #expect(try String(contentsOfFile: BagTestKit.path(archive, "index.html"), encoding: .utf8).contains("No bag in this archive yet."))

            let bag = try writeBag(in: folder, id: "job-01", prompt: "a kite")
            try BagTestKit.write("{not json", to: BagTestKit.path(bag.path, "data", "verification.json"))
            try FileManager.default.removeItem(atPath: BagTestKit.path(bag.path, "bag-info.txt"))
            let cards = try ArchiveIndex.write(root: archive)
            #expect(cards.count == 1)
            #expect(cards.first?.problems == ["bag-info.txt: missing"])
            #expect(cards.first?.verification == "unknown" && cards.first?.verificationDetail == "verification.json is not a JSON object")
        }
    }

    @Test("archive_index in a pipeline file: on by default, false turns it off, anything else is an error naming the line")
    func pipelineKey() throws {
        try BagTestKit.withFolder { folder in
            let base = "name: p\ndrop: ./drop\narchive: ./archive\nfailed: ./failed\nstate: ./state\napi: { base: simulator }\n"
            let file = BagTestKit.path(folder, "p.yml")
            try BagTestKit.write(base, to: file)
            #expect(try PipelineFile.load(path: file).archiveIndex)
            try BagTestKit.write(base + "archive_index: false\n", to: file)
            #expect(try !PipelineFile.load(path: file).archiveIndex)
            try BagTestKit.write(base + "archive_index: sometimes\n", to: file)
            let error = #expect(throws: PipelineFileError.self) { try PipelineFile.load(path: file) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("p.yml:7: archive_index"), "\(String(describing: error))")
        }
    }

    /// The values of every `name="..."` attribute in `html`.
    static func attributeValues(_ html: String, _ name: String) -> [String] {
        html.components(separatedBy: " \(name)=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }
}
