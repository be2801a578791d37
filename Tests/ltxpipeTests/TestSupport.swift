import Foundation
import Testing
import LTXMedia

/// What one run of the `ltxpipe` binary produced.
struct RunResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Non-empty lines of stderr.
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// stdout parsed as a JSON array of objects.
    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [[String: Any]], "stdout is not a JSON array: \(stdout)", sourceLocation: sourceLocation)
    }

    /// stdout parsed as one JSON object.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout)", sourceLocation: sourceLocation)
    }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Paths, temporary folders and running the built binary, for the end-to-end suites.
enum Support {
    /// The package root, found from this file's location (Tests/ltxpipeTests/TestSupport.swift).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A committed fixture, e.g. `fixture("media/quadrants-4x3.jpg")`.
    static func fixture(_ relative: String) -> String {
        repoRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// The `ltxpipe` executable SwiftPM built next to the test bundle.
    static let binary: URL = {
        var candidates: [URL] = [Bundle.main.bundleURL.appendingPathComponent("ltxpipe")]
        candidates += Bundle.allBundles.filter { $0.bundleURL.pathExtension == "xctest" }
            .map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("ltxpipe") }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ltxpipe"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("ltxpipe"))
        }
        candidates.append(repoRoot.appendingPathComponent(".build/debug/ltxpipe"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    /// `ltxpipe arguments...` in `directory`, not started: no input, the test process's environment with `variables`
    /// set over it (nil: unset); where its output goes is the caller's choice.
    static func process(_ arguments: [String], in directory: String, variables: [String: String?] = [:]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in variables { environment[name] = value }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// The variables that name an LTX base or carry a provider's key.
    static let providerVariables = ["LTX_API_BASE", "LTX_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", "WAVESPEED_API_KEY", "APIFREE_API_KEY"]

    /// `variables` over every provider variable unset: a child sees only the keys a test gives it.
    static func onlyProviderVariables(_ variables: [String: String?]) -> [String: String?] {
        var all = Dictionary(uniqueKeysWithValues: providerVariables.map { ($0, String?.none) })
        for (name, value) in variables { all[name] = value }
        return all
    }

    /// Runs `ltxpipe arguments...` in `directory` (environment as `process` makes it) and waits for it to exit, off the
    /// cooperative pool (the simulators of other tests run on it in this process: a blocked pool thread would stall them).
    static func run(_ arguments: [String], in directory: String, variables: [String: String?] = [:]) async throws -> RunResult {
        let outPath = (directory as NSString).appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errPath = (directory as NSString).appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Self.process(arguments, in: directory, variables: variables)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        await ProcessWaiting.exit(of: process)
        try outHandle.close()
        try errHandle.close()
        return RunResult(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8)
        )
    }

    /// Starts `launch()`'s process and waits for it, up to `attempts` times, until a run ends the pipeline's work
    /// (exit 0, or 3 when jobs were held); the last exit status (-1 when none ran).
    static func runUntilFinished(attempts: Int, _ launch: () throws -> Process) async throws -> Int32 {
        var last: Int32 = -1
        for _ in 0..<attempts {
            let process = try launch()
            await ProcessWaiting.exit(of: process)
            last = process.terminationStatus
            if last == 0 || last == 3 { break }
        }
        return last
    }

    /// Runs `body` with a fresh empty folder that is removed afterwards, whatever happens.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ltxpipe-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url.path)
    }

    /// `dir/name`.
    static func path(_ dir: String, _ name: String) -> String {
        URL(fileURLWithPath: dir).appendingPathComponent(name).path
    }

    /// Every byte of a file.
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Copies a fixture into `dir` and returns the copy's name (relative to `dir`).
    @discardableResult
    static func copyFixture(_ relative: String, into dir: String, as name: String? = nil) throws -> String {
        let source = fixture(relative)
        let target = name ?? URL(fileURLWithPath: source).lastPathComponent
        try FileManager.default.copyItem(atPath: source, toPath: path(dir, target))
        return target
    }

    /// Visible entries of `dir`, sorted.
    static func listing(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Writes a test-pattern MP4 (320x180) named `name` into `dir`.
    static func makeVideo(in dir: String, name: String, fps: Rational = Rational(25, 1), frames: Int, audio: Bool = true) throws {
        try TestPatternWriter.write(TestPattern(width: 320, height: 180, fps: fps, frameCount: frames, audio: audio), to: path(dir, name))
    }
}

/// Waits for a child process without blocking a thread that Swift concurrency uses: the simulator the child talks to
/// runs on the cooperative pool of the test process. On Linux that pool is libdispatch's default-QoS root queue, the
/// same one `DispatchQueue.global()` serves, so a wait there holds a pool thread too: each wait gets a thread of its own.
enum ProcessWaiting {
    static func exit(of process: Process) async {
        await offPool { process.waitUntilExit() }
    }

    /// Runs `body`, which blocks, on a new thread and returns its result.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}

extension Support {
    /// The drop every provider's end-to-end test starts from: a prompt (`kite.txt`) and an image with its prompt
    /// (`harbour.jpg` + `harbour.txt`), in `folder` (created).
    static func dropPromptAndImage(into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("a kite over the dunes".utf8).write(to: URL(fileURLWithPath: folder + "/kite.txt"))
        try FileManager.default.copyItem(atPath: fixture("media/landscape-16x9.jpg"), toPath: folder + "/harbour.jpg")
        try Data("boats rocking in a harbour".utf8).write(to: URL(fileURLWithPath: folder + "/harbour.txt"))
    }

    /// The text of every `bag-info.txt` among `files` (relative path and bytes, as `FalCommandTests.files` lists them).
    static func bagInfos(in files: [(String, Data)]) -> [String] {
        files.filter { $0.0.hasSuffix("bag-info.txt") }.map { String(decoding: $0.1, as: UTF8.self) }
    }
}
