import Foundation
import Testing
import LTXPipeline

/// Runs the built `ltxpipe` binary.
enum BagCLI {
    /// The package root, from this file's location (Tests/LTXPipelineTests/BagArchiveCommandTests.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `ltxpipe` next to the test bundle, else `<repo>/.build/debug/ltxpipe`.
    static let binary: URL = {
        var candidates = Bundle.allBundles.filter { $0.bundleURL.pathExtension == "xctest" }
            .map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("ltxpipe") }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("ltxpipe"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("ltxpipe"))
        }
        candidates.append(repoRoot.appendingPathComponent(".build/debug/ltxpipe"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: String) throws -> Result {
        let out = BagTestKit.path(directory, ".out-\(UUID().uuidString)")
        let err = BagTestKit.path(directory, ".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: out, encoding: .utf8),
            stderr: try String(contentsOfFile: err, encoding: .utf8)
        )
    }
}

@Suite("ltxpipe archive verify")
struct BagArchiveCommandTests {
    @Test("exit 0 on a good archive, 1 after damage naming the file, 2 on a missing or empty folder")
    func endToEnd() throws {
        try BagTestKit.withFolder { folder in
            let job = try BagTestKit.job(in: folder)
            let bag = try BagWriter.write(job.contents, archiveRoot: BagTestKit.path(folder, "archive"))

            let good = try BagCLI.run(["archive", "verify", "archive"], in: folder)
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.contains("OK"))
            #expect(good.stdout.contains("job-1"))
            #expect(good.stdout.contains("1 bag, all OK"))

            let video = BagTestKit.path(bag.path, "data", "video.mp4")
            var bytes = try BagTestKit.bytes(video)
            bytes[bytes.count - 1] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: video))
            let damaged = try BagCLI.run(["archive", "verify", "archive"], in: folder)
            #expect(damaged.status == 1, "\(damaged)")
            #expect(damaged.stdout.contains("DAMAGED"))
            #expect(damaged.stdout.contains("data/video.mp4"))

            let json = try BagCLI.run(["archive", "verify", "--json", "archive"], in: folder)
            #expect(json.status == 1)
            let reports = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(reports?.count == 1)
            #expect(reports?.first?["valid"] as? Bool == false)
            #expect(reports?.first?["damaged"] as? [String] == ["data/video.mp4"])

            let missing = try BagCLI.run(["archive", "verify", "no-such-folder"], in: folder)
            #expect(missing.status == 2, "\(missing)")
            #expect(missing.stderr.contains("no-such-folder"))
            #expect(missing.stderr.split(separator: "\n").count == 1)

            try FileManager.default.createDirectory(atPath: BagTestKit.path(folder, "empty"), withIntermediateDirectories: true)
            let empty = try BagCLI.run(["archive", "verify", "empty"], in: folder)
            #expect(empty.status == 2, "\(empty)")
            #expect(empty.stderr.contains("no bag"))
        }
    }
}
