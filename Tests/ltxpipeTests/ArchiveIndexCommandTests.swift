import Foundation
import LTXSimulator
import Testing
@testable import LTXMedia

/// `archive index` on bags a simulator run made, and the page it writes rendered by headless Chromium.
@Suite("archive index")
struct ArchiveIndexCommandTests {
    typealias E2E = GenerateCommandTests

    static let hostilePrompt = "<script>document.title='pwned'</script> a kite & \"quotes\""

    /// A pipeline run against the simulator that archives two bags (one with a prompt full of markup) in `directory/archive`.
    static func archiveTwoBags(base: URL, in directory: String) async throws {
        try E2E.writePipeline("e2e", api: "{ base: \(base.absoluteString) }", in: directory)
        try FileManager.default.createDirectory(atPath: directory + "/drop", withIntermediateDirectories: true)
        try Data("a red kite over the sea".utf8).write(to: URL(fileURLWithPath: directory + "/drop/kite.txt"))
        try Data(hostilePrompt.utf8).write(to: URL(fileURLWithPath: directory + "/drop/evil.txt"))
        let run = try await E2E.run(["run", "e2e.yml", "--once", "--time-scale", "0.001"], in: directory)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("2 archived"), "\(run)")
    }

    static func cardCount(_ html: String) -> Int { html.components(separatedBy: "<article class=\"card\"").count - 1 }

    @Test func runKeepsTheIndexAndArchiveIndexRewritesItWithOneCardPerBag() async throws {
        try await E2E.withSimulator { base, _, directory in
            try await Self.archiveTwoBags(base: base, in: directory)
            let index = directory + "/archive/index.html"
            let written = try String(contentsOfFile: index, encoding: .utf8)
            #expect(Self.cardCount(written) == 2, "run rewrote the index as the bags landed")

            try FileManager.default.removeItem(atPath: index)
            let result = try await E2E.run(["archive", "index", "archive", "--json"], in: directory)
            #expect(result.status == 0, "\(result)")
            let object = try result.jsonObject()
            #expect(object["bags"] as? Int == 2 && object["verified"] as? Int == 2 && object["failed"] as? Int == 0, "\(result)")
            let html = try String(contentsOfFile: index, encoding: .utf8)
            #expect(Self.cardCount(html) == 2)
            #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; a kite &amp; &quot;quotes&quot;"))
            #expect(!html.contains("<script>document.title"))
            #expect(!html.contains("http://") && !html.contains("https://"))

            // Each bag holds its contact sheet beside the poster, listed in its manifest; the index does not upset `archive verify`.
            let bags = try FileManager.default.subpathsOfDirectory(atPath: directory + "/archive").filter { $0.hasSuffix("/bagit.txt") }
            #expect(bags.count == 2)
            for bag in bags.map({ directory + "/archive/" + ($0 as NSString).deletingLastPathComponent }) {
                let manifest = try String(contentsOfFile: bag + "/manifest-sha256.txt", encoding: .utf8)
                #expect(manifest.contains("  data/contact-sheet.jpg\n") && manifest.contains("  data/poster.jpg\n"), "\(manifest)")
                #expect(try Support.bytes(bag + "/data/contact-sheet.jpg").prefix(3) == [0xFF, 0xD8, 0xFF])
            }
            let verify = try await E2E.run(["archive", "verify", "archive"], in: directory)
            #expect(verify.status == 0, "\(verify)")

            let missing = try await E2E.run(["archive", "index", "no-such-folder"], in: directory)
            #expect(missing.status == 2 && missing.stderr.contains("no-such-folder: no such folder"), "\(missing)")
        }
    }

    /// The Chromium (or Chrome) on PATH, nil when none is installed.
    static let chromium: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }()

    /// Runs headless Chromium on `page` with `arguments`, returning its stdout.
    static func chromium(_ arguments: [String], page: String, profile: String) async throws -> (status: Int32, stdout: String) {
        let binary = try #require(chromium)
        let out = profile + ".out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // As root Chromium refuses to start without --no-sandbox; the page is our own file.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=" + profile, "--window-size=1280,1000", "--virtual-time-budget=5000"]
            + arguments + [URL(fileURLWithPath: page).absoluteString]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        await ProcessWaiting.exit(of: process)
        return (process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8))
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (`make deps` or `apt-get install chromium`): the archive page is not rendered"))
    func chromiumRendersACardPerBagWithPosters() async throws {
        try await E2E.withSimulator { base, _, directory in
            try await Self.archiveTwoBags(base: base, in: directory)
            let page = directory + "/archive/index.html"

            // The DOM after the page's script ran: both cards shown, the sort/search script done, no injected script run.
            let dom = try await Self.chromium(["--dump-dom"], page: page, profile: directory + "/profile-dom")
            #expect(dom.status == 0)
            #expect(Self.cardCount(dom.stdout) == 2, "\(dom.stdout.prefix(2000))")
            #expect(dom.stdout.contains("<span id=\"shown\">2 of 2 shown</span>"), "the page's script ran")
            #expect(dom.stdout.contains("data-ready=\"yes\""))
            #expect(!dom.stdout.contains("<article class=\"card\" hidden"))
            #expect(dom.stdout.contains("<title>ltxpipe archive (2 bags)</title>"), "a prompt's <script> never runs")

            // The screenshot shows the posters: the simulator's colour bars make saturated pixels, which the page's
            // own greys and text never do; a blank or broken page has none.
            let shot = directory + "/shot.png"
            let screenshot = try await Self.chromium(["--screenshot=" + shot], page: page, profile: directory + "/profile-shot")
            #expect(screenshot.status == 0)
            let image = try ImageCodec.decodeFirstPicture(shot, maxPixels: 100_000_000) { ($0, $1) }.image
            #expect(image.width == 1280 && image.height == 1000)
            var saturated = 0, light = 0
            for pixel in image.pixels {
                let r = Int(pixel & 0xFF), g = Int((pixel >> 8) & 0xFF), b = Int((pixel >> 16) & 0xFF)
                if max(r, g, b) - min(r, g, b) > 100 { saturated += 1 }
                if min(r, g, b) > 200 { light += 1 }
            }
            let share = Double(saturated) / Double(image.pixels.count)
            #expect(share > 0.02, "saturated share \(share): the posters did not render")
            #expect(light > image.pixels.count / 10, "the cards' light background is visible")
        }
    }
}
