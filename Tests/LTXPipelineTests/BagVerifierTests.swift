import Foundation
import Testing
@testable import LTXPipeline

@Suite("BagVerifier")
struct BagVerifierTests {
    /// Writes the standard job's bag and hands its path to `body`.
    private func withBag(_ body: (String, String) throws -> Void) throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let bag = try BagWriter.write(job.contents, archiveRoot: BagTestKit.path(folder, "archive"))
            try body(bag.path, folder)
        }
    }

    @Test("an untouched bag verifies clean")
    func cleanBag() throws {
        try withBag { bag, _ in
            #expect(BagVerifier.verify(bag: bag) == BagReport(path: bag))
            #expect(BagVerifier.verify(bag: bag).valid)
        }
    }

    @Test("one flipped byte in data/video.mp4 is reported damaged")
    func flippedByte() throws {
        try withBag { bag, _ in
            let video = BagTestKit.path(bag, "data", "video.mp4")
            var bytes = try BagTestKit.bytes(video)
            bytes[bytes.count / 2] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: video))
            let report = BagVerifier.verify(bag: bag)
            #expect(!report.valid)
            #expect(report.damaged == ["data/video.mp4"])
            #expect(report.missing == [] && report.extra == [] && report.problems == [])
            #expect(BagItValidator(bag).violations() == ["manifest-sha256.txt: data/video.mp4 checksum mismatch"])
        }
    }

    @Test("a deleted payload file is reported missing (and Payload-Oxum no longer matches)")
    func deletedFile() throws {
        try withBag { bag, _ in
            try FileManager.default.removeItem(atPath: BagTestKit.path(bag, "data", "inputs", "cat photo.png"))
            let report = BagVerifier.verify(bag: bag)
            #expect(!report.valid)
            #expect(report.missing == ["data/inputs/cat photo.png"])
            #expect(report.damaged == [] && report.extra == [])
            #expect(report.problems.count == 1 && report.problems[0].contains("Payload-Oxum"))
            #expect(!BagItValidator(bag).violations().isEmpty)
        }
    }

    @Test("a file added under data/ is reported extra")
    func addedFile() throws {
        try withBag { bag, _ in
            try BagTestKit.write("stowaway", to: BagTestKit.path(bag, "data", "inputs", "extra file.txt"))
            let report = BagVerifier.verify(bag: bag)
            #expect(!report.valid)
            #expect(report.extra == ["data/inputs/extra file.txt"])
            #expect(report.damaged == [] && report.missing == [])
            #expect(report.problems.contains { $0.contains("Payload-Oxum") })
            #expect(BagItValidator(bag).violations().contains("manifest-sha256.txt: does not list data/inputs/extra file.txt"))
        }
    }

    @Test("an edited bag-info.txt fails the tag manifest")
    func editedInfo() throws {
        try withBag { bag, _ in
            let info = BagTestKit.path(bag, "bag-info.txt")
            let text = try String(contentsOfFile: info, encoding: .utf8).replacingOccurrences(of: "Generation-Id: gen-1", with: "Generation-Id: gen-2")
            try BagTestKit.write(text, to: info)
            let report = BagVerifier.verify(bag: bag)
            #expect(!report.valid)
            #expect(report.damaged == ["bag-info.txt"])
            #expect(BagItValidator(bag).violations() == ["tagmanifest-sha256.txt: bag-info.txt checksum mismatch"])
        }
    }

    @Test("a damaged manifest is caught by the tag manifest, and its bad line is reported")
    func editedManifest() throws {
        try withBag { bag, _ in
            let manifest = BagTestKit.path(bag, "manifest-sha256.txt")
            let text = try String(contentsOfFile: manifest, encoding: .utf8)
            try BagTestKit.write(text + "not-a-checksum\n", to: manifest)
            let report = BagVerifier.verify(bag: bag)
            #expect(report.damaged == ["manifest-sha256.txt"])
            #expect(report.problems.contains { $0.contains("manifest-sha256.txt line 8") })
        }
    }

    @Test("a malformed or missing bagit.txt is a problem")
    func badDeclaration() throws {
        try withBag { bag, _ in
            let declaration = BagTestKit.path(bag, "bagit.txt")
            try BagTestKit.write("BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n", to: declaration)
            let report = BagVerifier.verify(bag: bag)
            #expect(report.problems.contains { $0.hasPrefix("bagit.txt must hold") })
            #expect(report.damaged == ["bagit.txt"])
            try FileManager.default.removeItem(atPath: declaration)
            #expect(BagVerifier.verify(bag: bag).problems.contains("bagit.txt is missing"))
        }
    }

    @Test("a manifest path outside the bag is reported and never read")
    func escapingManifestPath() throws {
        try withBag { bag, folder in
            let outside = BagTestKit.path(folder, "outside.txt")
            try BagTestKit.write("outside", to: outside)
            let manifest = BagTestKit.path(bag, "manifest-sha256.txt")
            let digest = try BagTestKit.sha256(outside)
            try BagTestKit.write(try String(contentsOfFile: manifest, encoding: .utf8) + "\(digest)  data/../../../../outside.txt\n", to: manifest)
            let report = BagVerifier.verify(bag: bag)
            #expect(!report.valid)
            #expect(report.problems.contains { $0.contains("outside the bag") })
            #expect(!report.missing.contains { $0.contains("outside") } && !report.damaged.contains { $0.contains("outside") })
        }
    }

    @Test("a symbolic link in the payload is extra and not followed")
    func symlinkInPayload() throws {
        try withBag { bag, folder in
            let target = BagTestKit.path(folder, "target.txt")
            try BagTestKit.write("target", to: target)
            try FileManager.default.createSymbolicLink(atPath: BagTestKit.path(bag, "data", "link.txt"), withDestinationPath: target)
            let report = BagVerifier.verify(bag: bag)
            #expect(report.extra == ["data/link.txt"])
            #expect(report.problems.contains { $0.contains("symbolic link") })
        }
    }

    @Test("a folder that is not a bag, or has no payload manifest, is reported")
    func notABag() throws {
        try BagTestKit.withFolder { folder in
            #expect(!BagVerifier.verify(bag: BagTestKit.path(folder, "nothing")).valid)
            try BagTestKit.write(BagText.declaration, to: BagTestKit.path(folder, "bag", "bagit.txt"))
            let report = BagVerifier.verify(bag: BagTestKit.path(folder, "bag"))
            #expect(report.problems.contains("data/ (the payload folder) is missing"))
            #expect(report.problems.contains { $0.hasPrefix("no payload manifest") })
        }
    }

    @Test("verifyArchive finds every bag under the root, skipping hidden temporary folders")
    func findsBags() throws {
        try BagTestKit.withFolder { folder in
            let archive = BagTestKit.path(folder, "archive")
            for id in ["job-b", "job-a"] {
                let source = BagTestKit.path(folder, "\(id).txt")
                try BagTestKit.write(id, to: source)
                _ = try BagWriter.write(
                    BagContents(jobID: id, date: BagTestKit.date, files: [.init(source: source, name: "a.txt", move: true)], documents: [:], info: []),
                    archiveRoot: archive
                )
            }
            try BagTestKit.write(BagText.declaration, to: BagTestKit.path(archive, BagTestKit.day, ".job-c.tmp-123", "bagit.txt"))
            let reports = BagVerifier.verifyArchive(root: archive)
            #expect(reports.map(\.path) == ["job-a", "job-b"].map { BagTestKit.path(archive, BagTestKit.day, $0) })
            #expect(reports.allSatisfy { $0.valid })
            // The root may itself be a bag.
            #expect(BagVerifier.verifyArchive(root: reports[0].path).map(\.path) == [reports[0].path])
            #expect(BagVerifier.verifyArchive(root: BagTestKit.path(folder, "missing")) == [])
        }
    }

    @Test("the report encodes as JSON with its lists")
    func reportJSON() throws {
        let report = BagReport(path: "/a", damaged: ["data/x"], problems: ["p"])
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
        #expect(object?["valid"] as? Bool == false)
        #expect(object?["damaged"] as? [String] == ["data/x"])
        #expect(object?["missing"] as? [String] == [])
        #expect(try JSONDecoder().decode(BagReport.self, from: JSONEncoder().encode(report)) == report)
    }
}
