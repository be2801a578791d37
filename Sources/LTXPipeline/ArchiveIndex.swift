import Foundation
import LTXCore

/// A static, self-contained page over an archive: `index.html` in the archive's folder with one card per bag
/// (poster, contact sheet, prompt, model, provider, size, fps, duration, cost, verification, a link to the video).
/// Styles and the sort/search script are inline and every link is relative to the folder, so the page works from
/// the file system, a static web server or a copy of the archive, and loads nothing from anywhere else.
public enum ArchiveIndex {
    /// The page's file name inside the archive folder.
    public static let fileName = "index.html"
    /// Largest `bag-info.txt` or `verification.json` read; a bigger one is reported on its card, not read.
    static let largestTagFile: Int64 = 1 << 20

    /// What one bag's card shows.
    public struct Card: Sendable, Equatable {
        /// The bag's folder relative to the archive folder (`2026-11-26/JOB-ID`).
        public var bag: String
        /// `Internal-Sender-Identifier` (the job id), else the folder's name.
        public var jobID: String
        public var prompt: String
        public var mode: String
        public var model: String
        /// The dialect (wire protocol) and, where it has one, the provider's model id.
        public var provider: String
        /// `WxH` as measured (else as requested).
        public var resolution: String
        public var fps: String
        /// Seconds, as measured (else as requested).
        public var duration: Double?
        /// USD, nil when unknown.
        public var cost: Double?
        public var costBasis: String
        /// The video's size in bytes.
        public var videoBytes: Int64?
        /// `passed`, `failed` or `unknown`.
        public var verification: String
        /// Mode and checks (`quick: 7 of 7 checks passed`, or the failing checks).
        public var verificationDetail: String
        /// ISO 8601 time the bag was archived (`Archived`, else `Bagging-Date`).
        public var archived: String
        public var hasVideo: Bool, hasPoster: Bool, hasContactSheet: Bool
        /// What could not be read, shown on the card.
        public var problems: [String]
    }

    /// One card per bag under `root` (bags as `archive verify` finds them), newest first.
    public static func cards(root: String) -> [Card] {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        return BagVerifier.findBags(root: root).map { card(bag: $0, root: base) }
            .sorted { ($0.archived, $0.bag) > ($1.archived, $1.bag) }
    }

    /// Writes `root/index.html` whole or not at all (temporary file, fsync, rename) and returns its cards.
    @discardableResult
    public static func write(root: String, now: Date = Date()) throws(DurableFileError) -> [Card] {
        let cards = cards(root: root)
        try DurableFile.write(Data(html(cards, generated: now).utf8), to: BagFileSystem.join(root, fileName))
        return cards
    }

    static func card(bag: String, root: String) -> Card {
        let standardized = URL(fileURLWithPath: bag).standardizedFileURL.path
        let relative = standardized.hasPrefix(root + "/") ? String(standardized.dropFirst(root.count + 1)) : standardized == root ? "." : URL(fileURLWithPath: bag).lastPathComponent
        var problems: [String] = []
        var info: [String: String] = [:]
        switch readSmall(BagFileSystem.join(bag, "bag-info.txt")) {
        case .success(let text):
            for element in BagText.parseInfo(text).elements where info[element.label] == nil { info[element.label] = element.value }
        case .failure(let problem): problems.append("bag-info.txt: \(problem)")
        }
        var verification = "unknown", detail = "no verification.json"
        var measured: [String: Any] = [:]
        switch readSmall(BagFileSystem.join(bag, "data/verification.json")) {
        case .success(let text):
            if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                measured = object["measured"] as? [String: Any] ?? [:]
                let checks = (object["checks"] as? [[String: Any]]) ?? []
                let failed = checks.filter { ($0["passed"] as? Bool) != true }.compactMap { $0["name"] as? String }
                let mode = (object["mode"] as? String).map { $0 + ": " } ?? ""
                if checks.isEmpty {
                    detail = "verification.json lists no checks"
                } else if failed.isEmpty {
                    verification = "passed"
                    detail = "\(mode)\(checks.count) of \(checks.count) checks passed"
                } else {
                    verification = "failed"
                    detail = "\(mode)failed: " + failed.joined(separator: ", ")
                }
            } else {
                detail = "verification.json is not a JSON object"
            }
        case .failure(let problem): detail = "verification.json: \(problem)"
        }

        let width = measured["width"] as? Int, height = measured["height"] as? Int
        let resolution = width.flatMap { w in height.map { "\(w)x\($0)" } } ?? info["Resolution"] ?? "unknown"
        let measuredDuration = measured["duration"] as? Double
        var provider = info["Dialect"] ?? "unknown"
        if let modelID = info["Provider-Model-Id"] { provider += " (\(modelID))" }
        var costBasis = info["Cost-Basis"] ?? ""
        if let earlier = info["Earlier-Attempts-Cost"] { costBasis += (costBasis.isEmpty ? "" : "; ") + "earlier attempts \(earlier)" }
        func exists(_ name: String) -> Bool {
            if case .file = BagFileSystem.kind(BagFileSystem.join(bag, name)) { return true }
            return false
        }
        var videoBytes: Int64?
        if case .file(let size) = BagFileSystem.kind(BagFileSystem.join(bag, "data/video.mp4")) { videoBytes = size }
        return Card(
            bag: relative, jobID: info["Internal-Sender-Identifier"] ?? URL(fileURLWithPath: bag).lastPathComponent,
            prompt: info["Prompt"] ?? "", mode: info["Mode"] ?? "unknown", model: info["Model"] ?? "unknown",
            provider: provider, resolution: resolution,
            fps: (measured["fps"] as? String) ?? info["FPS"] ?? "unknown",
            duration: measuredDuration ?? info["Measured-Duration"].flatMap(Double.init) ?? info["Duration"].flatMap(Double.init),
            cost: info["Cost"].flatMap(Double.init), costBasis: costBasis, videoBytes: videoBytes,
            verification: verification, verificationDetail: detail,
            archived: info["Archived"] ?? info["Bagging-Date"] ?? "",
            hasVideo: videoBytes != nil, hasPoster: exists("data/poster.jpg"), hasContactSheet: exists("data/contact-sheet.jpg"),
            problems: problems)
    }

    /// A tag file's text, refusing links, folders, huge files and bytes that are not UTF-8.
    private static func readSmall(_ path: String) -> Result<String, ReadProblem> {
        switch BagFileSystem.kind(path) {
        case .none: return .failure(ReadProblem("missing"))
        case .file(let size) where size > largestTagFile: return .failure(ReadProblem("\(size) bytes, over the \(largestTagFile)-byte limit; not read"))
        case .file:
            guard let data = FileManager.default.contents(atPath: path) else { return .failure(ReadProblem("cannot be read")) }
            guard let text = String(data: data, encoding: .utf8) else { return .failure(ReadProblem("not UTF-8 text")) }
            return .success(text)
        default: return .failure(ReadProblem("not a regular file"))
        }
    }

    private struct ReadProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: The page

    /// The whole page for `cards`.
    public static func html(_ cards: [Card], generated: Date) -> String {
        let total = cards.compactMap(\.cost).reduce(0, +)
        let unknown = cards.filter { $0.cost == nil }.count
        let stamp = ISO8601DateFormatter().string(from: generated)
        var page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="ltxpipe archive index">
        <title>ltxpipe archive (\(cards.count) \(cards.count == 1 ? "bag" : "bags"))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1>ltxpipe archive</h1>
        <p class="summary">\(cards.count) \(cards.count == 1 ? "bag" : "bags") · \(money(total)) spent\(unknown > 0 ? " (+ \(unknown) of unknown cost)" : "") · written \(HTMLText.escaped(stamp))</p>
        <div class="controls">
        <input id="search" type="search" placeholder="Search prompts, models, ids…" aria-label="Search">
        <select id="sort" aria-label="Sort">
        <option value="newest">Newest first</option><option value="oldest">Oldest first</option>
        <option value="cost-desc">Most expensive</option><option value="cost-asc">Cheapest</option>
        <option value="duration-desc">Longest</option><option value="model">Model</option>
        </select>
        <span id="shown">\(cards.count) \(cards.count == 1 ? "bag" : "bags")</span>
        </div>
        </header>
        <main id="cards">

        """
        for card in cards { page += html(card) }
        page += """
        </main>
        <p id="empty"\(cards.isEmpty ? "" : " hidden")>\(cards.isEmpty ? "No bag in this archive yet." : "No bag matches the search.")</p>
        <script>\(script)</script>
        </body>
        </html>

        """
        return page
    }

    static func html(_ card: Card) -> String {
        let data = card.bag + "/data/"
        let video = HTMLText.href(data + "video.mp4")
        let jobID = HTMLText.escaped(card.jobID)
        var thumb = ""
        if card.hasPoster {
            thumb += "<img class=\"poster\" src=\"\(HTMLText.href(data + "poster.jpg"))\" alt=\"poster of \(jobID)\" loading=\"lazy\">"
        } else {
            thumb += "<span class=\"noposter\">no poster</span>"
        }
        if card.hasContactSheet {
            thumb += "<img class=\"sheet\" src=\"\(HTMLText.href(data + "contact-sheet.jpg"))\" alt=\"contact sheet of \(jobID)\" loading=\"lazy\">"
        }
        let duration = card.duration.map { String(format: "%.2f s", $0) } ?? "unknown"
        let cost = card.cost.map(money) ?? "unknown"
        let mark = card.verification == "passed" ? "✓" : card.verification == "failed" ? "✗" : "?"
        var rows: [(String, String)] = [
            ("Model", card.model), ("Mode", card.mode), ("Provider", card.provider), ("Size", card.resolution),
            ("FPS", card.fps), ("Duration", duration), ("Cost", cost + (card.costBasis.isEmpty ? "" : " (\(card.costBasis))")),
        ]
        if let bytes = card.videoBytes { rows.append(("File", String(format: "%.1f MB", Double(bytes) / 1_000_000))) }
        rows.append(("Archived", card.archived))
        rows.append(("Job", card.jobID))
        var text = """
        <article class="card" data-archived="\(HTMLText.escaped(card.archived))" data-cost="\(card.cost.map { String($0) } ?? "")" \
        data-duration="\(card.duration.map { String($0) } ?? "")" data-model="\(HTMLText.escaped(card.model))" data-verification="\(HTMLText.escaped(card.verification))">
        <a class="thumb" href="\(video)" title="play the video">\(thumb)</a>
        <div class="body">
        <p class="prompt">\(card.prompt.isEmpty ? "<em>no prompt recorded</em>" : HTMLText.escaped(card.prompt))</p>
        <p class="verdict \(HTMLText.escaped(card.verification))">\(mark) \(HTMLText.escaped(card.verificationDetail))</p>
        <dl>
        """
        for (label, value) in rows { text += "<dt>\(label)</dt><dd>\(HTMLText.escaped(value))</dd>" }
        text += "</dl>\n"
        if card.hasContactSheet {
            text += "<details><summary>Contact sheet</summary><img src=\"\(HTMLText.href(data + "contact-sheet.jpg"))\" alt=\"contact sheet of \(jobID)\" loading=\"lazy\"></details>\n"
        }
        for problem in card.problems { text += "<p class=\"problem\">\(HTMLText.escaped(problem))</p>\n" }
        text += "<p class=\"links\">"
        text += card.hasVideo ? "<a href=\"\(video)\">video.mp4</a> · " : "<span class=\"problem\">video.mp4 missing</span> · "
        text += "<a href=\"\(HTMLText.href(card.bag + "/bag-info.txt"))\">bag-info.txt</a> · <a href=\"\(HTMLText.href(data + "verification.json"))\">verification.json</a></p>\n"
        text += "</div>\n</article>\n"
        return text
    }

    static func money(_ value: Double) -> String { String(format: "$%.2f", value) }

    static let style = """
    :root{color-scheme:light dark;--bg:#f4f4f2;--fg:#1d1d1b;--card:#fff;--muted:#666;--line:#ddd}
    @media (prefers-color-scheme:dark){:root{--bg:#181818;--fg:#eee;--card:#242424;--muted:#aaa;--line:#3a3a3a}}
    body{margin:0;font:14px/1.4 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
    header{padding:16px 20px;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:20px}
    .summary{margin:0 0 10px;color:var(--muted)}.controls{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
    #search{flex:1;min-width:200px;padding:6px 8px}#shown{color:var(--muted)}
    main{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px;padding:20px}
    .card[hidden]{display:none}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden;display:flex;flex-direction:column}
    .thumb{display:block;background:#111;aspect-ratio:16/9;position:relative}
    .thumb img{width:100%;height:100%;object-fit:contain;display:block}.thumb .sheet{display:none}
    .thumb:hover .sheet{display:block}.thumb:hover .poster{display:none}
    .noposter{color:#aaa;position:absolute;inset:0;display:flex;align-items:center;justify-content:center}
    .body{padding:10px 12px}.prompt{margin:0 0 8px;font-size:15px;white-space:pre-wrap;overflow-wrap:anywhere}
    .verdict{margin:0 0 8px;font-weight:600}.verdict.passed{color:#1a7f37}.verdict.failed{color:#c62828}.verdict.unknown{color:var(--muted)}
    dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0 0 8px}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
    details img{width:100%;margin-top:6px}.problem{color:#c62828}.links{margin:6px 0 0}#empty{padding:0 20px;color:var(--muted)}
    """

    static let script = """
    (function(){
    var main=document.getElementById('cards'),search=document.getElementById('search'),sort=document.getElementById('sort');
    var shown=document.getElementById('shown'),empty=document.getElementById('empty');
    var cards=Array.prototype.slice.call(main.querySelectorAll('article.card'));
    function num(c,k,d){var v=parseFloat(c.dataset[k]);return isNaN(v)?d:v;}
    var orders={
    newest:function(a,b){return b.dataset.archived.localeCompare(a.dataset.archived);},
    oldest:function(a,b){return a.dataset.archived.localeCompare(b.dataset.archived);},
    'cost-desc':function(a,b){return num(b,'cost',-1)-num(a,'cost',-1);},
    'cost-asc':function(a,b){return num(a,'cost',Infinity)-num(b,'cost',Infinity);},
    'duration-desc':function(a,b){return num(b,'duration',-1)-num(a,'duration',-1);},
    model:function(a,b){return a.dataset.model.localeCompare(b.dataset.model);}};
    function apply(){
    var words=search.value.toLowerCase().split(/\\s+/).filter(Boolean),n=0;
    cards.slice().sort(orders[sort.value]||orders.newest).forEach(function(card){
    var text=card.textContent.toLowerCase();
    var hit=words.every(function(w){return text.indexOf(w)>=0;});
    card.hidden=!hit;if(hit)n++;main.appendChild(card);});
    shown.textContent=n+' of '+cards.length+' shown';empty.hidden=n>0;document.body.setAttribute('data-ready','yes');}
    search.addEventListener('input',apply);sort.addEventListener('change',apply);apply();
    })();
    """
}
