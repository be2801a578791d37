import LTXCore
import Foundation
import LTXMedia

/// Renders test-pattern MP4s into a cache folder, one file per shape, sharing renders in flight.
///
/// Process-wide (``shared``), so several simulators using the same cache folder also share renders:
/// however many jobs ask for one shape at once, it is rendered once. Finished files are reused across runs.
actor VideoRenderer {
    /// The renderer every simulator in the process uses.
    static let shared = VideoRenderer()

    private var renders: [String: Task<String, any Error>] = [:]
    /// How many renders were started per file path (for tests).
    private(set) var renderCounts: [String: Int] = [:]

    /// The cached file name for a shape and its content, e.g. `ltxsim-1920x1080-25_1fps-145f-audio.mp4` (standard
    /// content) or `ltxsim-1920x1080-25_1fps-145f-audio-black-tone.mp4`.
    static func fileName(for pattern: TestPattern, content: VideoContent = .standard) -> String {
        "ltxsim-\(pattern.width)x\(pattern.height)-\(pattern.fps.numerator)_\(pattern.fps.denominator)fps-\(pattern.frameCount)f\(pattern.audio ? "-audio" : "")\(content.cacheTag).mp4"
    }

    /// The path of the rendered video for `pattern` with `content`, rendering it first if needed (off the cooperative
    /// pool): the standard content by `TestPatternWriter`, any other by ``ContentVideoWriter``.
    func file(for pattern: TestPattern, content: VideoContent = .standard, in directory: String) async throws -> String {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName(for: pattern, content: content)).path
        if let task = renders[path] {
            return try await task.value
        }
        if FileManager.default.fileExists(atPath: path) {
            return path
        }
        renderCounts[path, default: 0] += 1
        let task = Task<String, any Error> {
            // The folder may have been cleaned away since the server started.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await SimulatorWork.run { () throws(MediaError) -> Void in
                if content.isStandard {
                    try TestPatternWriter.write(pattern, to: path)
                } else {
                    try ContentVideoWriter.write(pattern, content: content, to: path)
                }
            }
            return path
        }
        renders[path] = task
        do {
            let result = try await task.value
            renders[path] = nil
            return result
        } catch {
            renders[path] = nil  // the next request tries again
            throw error
        }
    }

    /// Starts rendering `pattern` in the background so it is ready by the time a client downloads it.
    nonisolated func prefetch(_ pattern: TestPattern, content: VideoContent = .standard, in directory: String) {
        Task { _ = try? await self.file(for: pattern, content: content, in: directory) }
    }

    /// Render count for one file path (for tests).
    func renderCount(for pattern: TestPattern, content: VideoContent = .standard, in directory: String) -> Int {
        renderCounts[URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName(for: pattern, content: content)).path] ?? 0
    }
}
