/// Runs blocking work (FFmpeg, file I/O) on the process's bounded executor, never on the cooperative pool.
public enum BlockingWork {
    /// Runs `body` on `BlockingExecutor.shared` and returns its result.
    public static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await BlockingExecutor.shared.run(body)
    }
}
