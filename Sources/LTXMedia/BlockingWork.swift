import Dispatch

/// Runs blocking FFmpeg work on a dedicated queue so it never occupies Swift's cooperative thread pool.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "ltxpipe.media", qos: .userInitiated, attributes: .concurrent)

    /// Runs `body` off the cooperative pool and returns its result.
    public static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(E) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
