import Crypto
import Foundation
import LTXMedia
import Testing
@testable import LTXPipeline

/// Folders, files and a ready-made job for the bag suites.
enum BagTestKit {
    /// 2023-11-14 22:13:20 UTC.
    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let day = "2023-11-14"

    /// Runs `body` with a fresh folder that is removed afterwards.
    static func withFolder<T>(_ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ltxpipe-bag-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    static func path(_ components: String...) -> String {
        components.dropFirst().reduce(URL(fileURLWithPath: components[0])) { $0.appendingPathComponent($1) }.path
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func sha256(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    /// Every entry under `folder`, relative, sorted (hidden ones included).
    static func tree(_ folder: String) -> [String] {
        ((FileManager.default.subpaths(atPath: folder)) ?? []).sorted()
    }

    /// A job's working folder: a small video (moved into the bag), an original input with a space in its name,
    /// one with a `%`, and a preflighted copy (copied), plus request/response documents.
    struct Job {
        let work: String
        let contents: BagContents
        var video: String { BagTestKit.path(work, "video.mp4") }
        var photo: String { BagTestKit.path(work, "cat photo.png") }
        var percent: String { BagTestKit.path(work, "100% real.txt") }
        var preflighted: String { BagTestKit.path(work, "preflight", "cat photo.jpg") }
    }

    static func job(in folder: String, id: String = "job-1", moveVideo: Bool = true) throws -> Job {
        let work = path(folder, "work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try TestPatternWriter.write(TestPattern(width: 64, height: 36, fps: Rational(25, 1), frameCount: 9, audio: false), to: path(work, "video.mp4"))
        try write("not really a png", to: path(work, "cat photo.png"))
        try write("one hundred percent", to: path(work, "100% real.txt"))
        try write("preflighted jpeg", to: path(work, "preflight", "cat photo.jpg"))
        let contents = BagContents(
            jobID: id, date: date,
            files: [
                .init(source: path(work, "video.mp4"), name: "video.mp4", move: moveVideo),
                .init(source: path(work, "cat photo.png"), name: "inputs/cat photo.png", move: false),
                .init(source: path(work, "100% real.txt"), name: "inputs/100% real.txt", move: false),
                .init(source: path(work, "preflight", "cat photo.jpg"), name: "inputs/preflight/cat photo.jpg", move: false),
            ],
            documents: [
                "request.json": Data(#"{"prompt":"a cat"}"#.utf8),
                "response.json": Data(#"{"id":"gen-1"}"#.utf8),
                "verification.json": Data("{}".utf8),
            ],
            info: [("Pipeline", "demo"), ("Mode", "image-to-video"), ("Generation-Id", "gen-1")]
        )
        return Job(work: work, contents: contents)
    }

    /// The error `BagWriter.write` throws for `contents`, or nil when it succeeds.
    static func failure(_ contents: BagContents, _ archive: String) -> BagError? {
        do throws(BagError) {
            _ = try BagWriter.write(contents, archiveRoot: archive)
            return nil
        } catch {
            return error
        }
    }

    /// A process id that no process has now.
    static func deadPID() -> Int32 {
        var pid: Int32 = 4_000_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
        return pid
    }
}

@Suite("BagWriter")
struct BagWriterTests {
    @Test("a job's bag is valid BagIt 1.0, filed under archive/DATE/JOB-ID; moved sources are gone, copied ones intact")
    func writesValidBag() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let archive = BagTestKit.path(folder, "archive")
            let videoDigest = try BagTestKit.sha256(job.video)
            let originals = try [job.photo, job.percent, job.preflighted].map { try BagTestKit.bytes($0) }

            let bag = try BagWriter.write(job.contents, archiveRoot: archive)

            #expect(bag.path == BagTestKit.path(archive, BagTestKit.day, "job-1"))
            #expect(BagItValidator(bag.path).violations() == [])
            #expect(BagVerifier.verify(bag: bag.path).valid)
            #expect(try FileManager.default.contentsOfDirectory(atPath: BagTestKit.path(archive, BagTestKit.day)) == ["job-1"])
            #expect(BagTestKit.tree(bag.path) == [
                "bag-info.txt", "bagit.txt", "data", "data/inputs", "data/inputs/100% real.txt", "data/inputs/cat photo.png",
                "data/inputs/preflight", "data/inputs/preflight/cat photo.jpg", "data/request.json", "data/response.json",
                "data/verification.json", "data/video.mp4", "manifest-sha256.txt", "tagmanifest-sha256.txt",
            ])

            // Moved: gone from the work folder, the same bytes in the bag. Copied: still there, byte-identical.
            #expect(!BagTestKit.exists(job.video))
            #expect(try BagTestKit.sha256(BagTestKit.path(bag.path, "data", "video.mp4")) == videoDigest)
            for (source, original) in zip([job.photo, job.percent, job.preflighted], originals) {
                #expect(try BagTestKit.bytes(source) == original)
            }
            #expect(try BagTestKit.bytes(BagTestKit.path(bag.path, "data", "inputs", "cat photo.png")) == originals[0])

            // The returned description matches the disk.
            #expect(bag.files.map(\.path) == [
                "data/inputs/100% real.txt", "data/inputs/cat photo.png", "data/inputs/preflight/cat photo.jpg",
                "data/request.json", "data/response.json", "data/verification.json", "data/video.mp4",
            ])
            var octets: Int64 = 0
            for file in bag.files {
                let onDisk = BagTestKit.path(bag.path, file.path)
                #expect(try BagTestKit.sha256(onDisk) == file.sha256)
                #expect(Int64(try BagTestKit.bytes(onDisk).count) == file.size)
                octets += file.size
            }
            #expect(bag.payloadOxum == "\(octets).7")

            // The text files, byte for byte where the RFC fixes them.
            #expect(try String(contentsOfFile: BagTestKit.path(bag.path, "bagit.txt"), encoding: .utf8)
                == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
            let info = try String(contentsOfFile: BagTestKit.path(bag.path, "bag-info.txt"), encoding: .utf8)
            #expect(info == "Pipeline: demo\nMode: image-to-video\nGeneration-Id: gen-1\nBagging-Date: \(BagTestKit.day)\nPayload-Oxum: \(octets).7\n")
            let manifest = try String(contentsOfFile: BagTestKit.path(bag.path, "manifest-sha256.txt"), encoding: .utf8)
            #expect(manifest.contains("  data/inputs/100%25 real.txt\n"))
            #expect(manifest.contains("\(videoDigest)  data/video.mp4\n"))
            let tags = try String(contentsOfFile: BagTestKit.path(bag.path, "tagmanifest-sha256.txt"), encoding: .utf8)
            #expect(tags.split(separator: "\n").map { $0.split(separator: " ").last.map(String.init) ?? "" }
                == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"])
        }
    }

    @Test("names with CR, LF and % are percent-encoded in the manifest; values with line breaks are folded")
    func encodesAwkwardNames() throws {
        try BagTestKit.withFolder { folder in
            let source = BagTestKit.path(folder, "odd.txt")
            try BagTestKit.write("odd", to: source)
            let contents = BagContents(
                jobID: "job-odd", date: BagTestKit.date,
                files: [.init(source: source, name: "inputs/line\nbreak\r%0A.txt", move: false)],
                documents: ["notes/a b.json": Data("[]".utf8)],
                info: [("Prompt", "first line\nsecond line"), ("Empty", "")]
            )
            let bag = try BagWriter.write(contents, archiveRoot: BagTestKit.path(folder, "archive"))
            let manifest = try String(contentsOfFile: BagTestKit.path(bag.path, "manifest-sha256.txt"), encoding: .utf8)
            #expect(manifest.contains("  data/inputs/line%0Abreak%0D%250A.txt\n"))
            #expect(BagTestKit.exists(BagTestKit.path(bag.path, "data", "inputs", "line\nbreak\r%0A.txt")))
            let info = try String(contentsOfFile: BagTestKit.path(bag.path, "bag-info.txt"), encoding: .utf8)
            #expect(info.hasPrefix("Prompt: first line\n  second line\nEmpty: \n"))
            #expect(BagItValidator(bag.path).violations() == [])
            #expect(BagVerifier.verify(bag: bag.path) == BagReport(path: bag.path))
        }
    }

    @Test("the date folder is the UTC day of contents.date")
    func utcDay() throws {
        try BagTestKit.withFolder { folder in
            let source = BagTestKit.path(folder, "a.txt")
            try BagTestKit.write("a", to: source)
            // 2024-02-29 23:59:30 UTC: the next day in any time zone east of UTC.
            let contents = BagContents(jobID: "late", date: Date(timeIntervalSince1970: 1_709_251_170), files: [.init(source: source, name: "a.txt", move: false)], documents: [:], info: [])
            let bag = try BagWriter.write(contents, archiveRoot: BagTestKit.path(folder, "archive"))
            #expect(bag.path == BagTestKit.path(folder, "archive", "2024-02-29", "late"))
            let info = try String(contentsOfFile: BagTestKit.path(bag.path, "bag-info.txt"), encoding: .utf8)
            #expect(info.contains("Bagging-Date: 2024-02-29\n"))
        }
    }

    @Test("a payload name that would leave data/ is refused before anything is written", arguments: [
        "../x", "/etc/passwd", "inputs/../../x", "a//b", "./a", "inputs/", "",
    ])
    func refusesEscapingNames(name: String) throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            var contents = job.contents
            contents.files.append(.init(source: job.photo, name: name, move: true))
            let archive = BagTestKit.path(folder, "archive")
            let error = #expect(throws: BagError.self) { try BagWriter.write(contents, archiveRoot: archive) }
            #expect(error?.kind == .invalidName)
            #expect(error?.description.contains("payload name") == true)
            #expect(!BagTestKit.exists(archive))
            #expect(BagTestKit.exists(job.video) && BagTestKit.exists(job.photo))
        }
    }

    @Test("an escaping document name or job id is refused too", arguments: ["../evil", ".hidden", "a/b", "", ".."])
    func refusesBadJobIDs(id: String) throws {
        try BagTestKit.withFolder { folder in
            let archive = BagTestKit.path(folder, "archive")
            let contents = BagContents(jobID: id, date: BagTestKit.date, files: [], documents: ["request.json": Data()], info: [])
            #expect(BagTestKit.failure(contents, archive)?.kind == .invalidName)
            let document = BagContents(jobID: "ok", date: BagTestKit.date, files: [], documents: ["../request.json": Data()], info: [])
            #expect(BagTestKit.failure(document, archive)?.kind == .invalidName)
            #expect(!BagTestKit.exists(archive))
        }
    }

    @Test("duplicate names, a name that is also a folder, and reserved or malformed bag-info labels are refused")
    func refusesConflicts() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let archive = BagTestKit.path(folder, "archive")
            var duplicate = job.contents
            duplicate.files.append(.init(source: job.photo, name: "request.json", move: false))
            #expect(BagTestKit.failure(duplicate, archive)?.kind == .duplicateName)
            var folderClash = job.contents
            folderClash.documents["inputs"] = Data()
            #expect(BagTestKit.failure(folderClash, archive)?.kind == .duplicateName)
            for label in ["Payload-Oxum", "Bagging-Date", "Bad: label", " Padded", ""] {
                var info = job.contents
                info.info.append((label, "x"))
                #expect(BagTestKit.failure(info, archive)?.kind == .invalidInfo)
            }
            #expect(!BagTestKit.exists(archive))
            #expect(BagTestKit.exists(job.video))
        }
    }

    @Test("a failure part-way leaves no bag and puts moved files back")
    func rollsBackOnFailure() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let digest = try BagTestKit.sha256(job.video)
            var contents = job.contents
            contents.files.append(.init(source: BagTestKit.path(folder, "does-not-exist.png"), name: "inputs/gone.png", move: true))
            let archive = BagTestKit.path(folder, "archive")
            #expect(BagTestKit.failure(contents, archive)?.kind == .sourceMissing)
            #expect(BagTestKit.tree(BagTestKit.path(archive, BagTestKit.day)) == [])
            #expect(try BagTestKit.sha256(job.video) == digest)
        }
    }

    @Test("a symbolic link as a payload source is refused, not followed")
    func refusesSymlinkSource() throws {
        try BagTestKit.withFolder { folder in
            let target = BagTestKit.path(folder, "secret.txt")
            try BagTestKit.write("secret", to: target)
            let link = BagTestKit.path(folder, "link.txt")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            let contents = BagContents(jobID: "j", date: BagTestKit.date, files: [.init(source: link, name: "a.txt", move: true)], documents: [:], info: [])
            #expect(BagTestKit.failure(contents, BagTestKit.path(folder, "archive"))?.kind == .sourceMissing)
            #expect(BagTestKit.exists(link) && BagTestKit.exists(target))
        }
    }

    @Test("a folder already at JOB-ID that is not this bag is left alone; the bag goes to JOB-ID-2")
    func doesNotOverwriteForeignFolder() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let archive = BagTestKit.path(folder, "archive")
            let squatter = BagTestKit.path(archive, BagTestKit.day, "job-1", "notes.txt")
            try BagTestKit.write("someone else's", to: squatter)
            let bag = try BagWriter.write(job.contents, archiveRoot: archive)
            #expect(bag.path == BagTestKit.path(archive, BagTestKit.day, "job-1-2"))
            #expect(BagTestKit.tree(BagTestKit.path(archive, BagTestKit.day, "job-1")) == ["notes.txt"])
            #expect(try String(contentsOfFile: squatter, encoding: .utf8) == "someone else's")
            #expect(BagItValidator(bag.path).violations() == [])
        }
    }

    @Test("re-running after a crash that followed the rename returns the bag already there, untouched")
    func reusesCompleteBag() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder, moveVideo: false)
            let archive = BagTestKit.path(folder, "archive")
            let first = try BagWriter.write(job.contents, archiveRoot: archive)
            let manifest = BagTestKit.path(first.path, "manifest-sha256.txt")
            let before = try FileManager.default.attributesOfItem(atPath: manifest)[.modificationDate] as? Date
            let second = try BagWriter.write(job.contents, archiveRoot: archive)
            #expect(second == first)
            #expect(try FileManager.default.attributesOfItem(atPath: manifest)[.modificationDate] as? Date == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: BagTestKit.path(archive, BagTestKit.day)) == ["job-1"])

            // A valid bag with a different payload is another job's: not reused, not overwritten.
            var other = job.contents
            other.documents["extra.json"] = Data("{}".utf8)
            let third = try BagWriter.write(other, archiveRoot: archive)
            #expect(third.path == BagTestKit.path(archive, BagTestKit.day, "job-1-2"))
            #expect(BagVerifier.verify(bag: first.path).valid)
        }
    }

    @Test("files an interrupted run had moved into its temporary folder are recovered from it")
    func recoversFromStaleTemporary() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let archive = BagTestKit.path(folder, "archive")
            let digest = try BagTestKit.sha256(job.video)
            // What a run killed after moving the video leaves: a hidden temporary bag holding data/video.mp4.
            let stale = BagTestKit.path(archive, BagTestKit.day, ".job-1.tmp-\(BagTestKit.deadPID())")
            try FileManager.default.createDirectory(atPath: BagTestKit.path(stale, "data"), withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: job.video, toPath: BagTestKit.path(stale, "data", "video.mp4"))

            let bag = try BagWriter.write(job.contents, archiveRoot: archive)
            #expect(try BagTestKit.sha256(BagTestKit.path(bag.path, "data", "video.mp4")) == digest)
            #expect(BagItValidator(bag.path).violations() == [])
            #expect(try FileManager.default.contentsOfDirectory(atPath: BagTestKit.path(archive, BagTestKit.day)) == ["job-1"])
        }
    }

    @Test("a move that cannot rename copies, checks the SHA-256, then removes the source")
    func moveByCopy() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let digest = try BagTestKit.sha256(job.video)
            // 3 MiB + 1 byte: several 1 MiB chunks and a partial one.
            let big = BagTestKit.path(job.work, "big.bin")
            try Data((0..<(3 << 20) + 1).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: big))
            let bigDigest = try BagTestKit.sha256(big)
            var contents = job.contents
            contents.files.append(.init(source: big, name: "inputs/big.bin", move: true))
            let bag = try BagWriter.write(contents, archiveRoot: BagTestKit.path(folder, "archive"), allowRename: false)
            #expect(!BagTestKit.exists(job.video) && !BagTestKit.exists(big))
            #expect(try BagTestKit.sha256(BagTestKit.path(bag.path, "data", "video.mp4")) == digest)
            #expect(bag.files.first { $0.path == "data/inputs/big.bin" }?.sha256 == bigDigest)
            #expect(BagItValidator(bag.path).violations() == [])
        }
    }

    @Test("a move across filesystems (from /dev/shm) copies, checks and removes the source")
    func moveAcrossFilesystems() throws {
        let shm = "/dev/shm"
        guard let shmDevice = BagFileSystem.device(shm), access(shm, W_OK) == 0,
              let tmpDevice = BagFileSystem.device(FileManager.default.temporaryDirectory.path), shmDevice != tmpDevice else {
            return  // no second filesystem here; moveByCopy covers the same path
        }
        try BagTestKit.withFolder { folder in
            let source = BagTestKit.path(shm, "ltxpipe-bag-\(UUID().uuidString).txt")
            try BagTestKit.write("across devices", to: source)
            defer { try? FileManager.default.removeItem(atPath: source) }
            let contents = BagContents(jobID: "xdev", date: BagTestKit.date, files: [.init(source: source, name: "a.txt", move: true)], documents: [:], info: [])
            let bag = try BagWriter.write(contents, archiveRoot: BagTestKit.path(folder, "archive"))
            #expect(!BagTestKit.exists(source))
            #expect(try String(contentsOfFile: BagTestKit.path(bag.path, "data", "a.txt"), encoding: .utf8) == "across devices")
            #expect(BagItValidator(bag.path).violations() == [])
        }
    }

    @Test("RFC 8493 path encoding round-trips and decodes only %25, %0A and %0D")
    func percentEncoding() {
        let name = "a%b\nc\rd%0A"
        #expect(BagText.encodePath(name) == "a%25b%0Ac%0Dd%250A")
        #expect(BagText.decodePath(BagText.encodePath(name)) == name)
        #expect(BagText.decodePath("x%41%0a%0d%") == "x%41\n\r%")
        #expect(BagItValidator.percentDecode("a%25b%0Ac%0Dd%250A") == name)
    }
}
