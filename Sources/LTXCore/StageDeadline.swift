import Foundation
import Synchronization

/// A time limit on one pipeline stage's media work. The runner binds one to `StageDeadline.current` around a risky
/// stage; `BlockingExecutor.run` carries it onto the thread that does the blocking work, and every FFmpeg input
/// opened there aborts its reads (with AVERROR_EXIT) once the deadline has passed. A reader that was stopped that
/// way marks the deadline `expired`, so the stage knows its result is not to be trusted.
public final class StageDeadline: Sendable {
    /// The deadline bound to the current task (or, on an executor thread, to the work it runs).
    @TaskLocal public static var current: StageDeadline?

    /// The limit it was made with, in seconds.
    public let seconds: Double
    /// When it passes, on the monotonic clock (nanoseconds since boot).
    private let end: UInt64
    private let stopped = Atomic<Bool>(false)

    /// A deadline `seconds` from now (clamped to 0…a year).
    public init(seconds: Double) {
        let limit = seconds.isFinite ? min(max(seconds, 0), 365 * 86_400) : 365 * 86_400
        self.seconds = limit
        end = DispatchTime.now().uptimeNanoseconds &+ UInt64(limit * 1e9)
    }

    /// True once the deadline has passed; the first caller that sees it past marks it `expired`.
    /// Cheap enough to ask before every packet.
    public func stopsNow() -> Bool {
        if stopped.load(ordering: .relaxed) { return true }
        guard DispatchTime.now().uptimeNanoseconds >= end else { return false }
        stopped.store(true, ordering: .relaxed)
        return true
    }

    /// True when some media work was stopped because the deadline had passed.
    public var expired: Bool { stopped.load(ordering: .relaxed) }
}

/// A risky stage whose media work ran past `stage_timeout_seconds` and was stopped.
public struct StageTimedOut: Error, CustomStringConvertible, Sendable {
    /// The limit, in seconds.
    public let seconds: Double

    /// A stage stopped after `seconds`.
    public init(seconds: Double) { self.seconds = seconds }

    public var description: String {
        let shown = seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
        return "its media work ran past the \(shown) s stage timeout (stage_timeout_seconds) and was stopped"
    }
}
