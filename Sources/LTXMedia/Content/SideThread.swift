import Foundation
import LTXCore

/// Sampled mode's second and third threads: one piece of blocking FFmpeg work (the audio windows, or the later
/// half of the video runs) on a thread of its own while the calling thread decodes the rest. The work opens its
/// own demuxer and feeds objects made for it alone; the caller reads its result only after `wait` has returned.
/// The stage deadline bound where it is started goes with it.
///
/// `@unchecked Sendable`: `work` and what it captures are used only by the new thread until it signals `done`;
/// `result` is written by that thread before the signal and read by the caller only after `wait` has waited for
/// it (the semaphore orders the two), and `waited` is touched by the caller alone. No two threads use any of it at once.
final class SideThread<Value>: @unchecked Sendable {
    private let work: () -> Value
    private let deadline: StageDeadline?
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    private init(work: @escaping () -> Value) {
        self.work = work
        deadline = StageDeadline.current
    }

    /// Starts `work` on a new thread named `name`. Whatever `work` captures must not be touched by the caller
    /// until `wait` has returned.
    static func start(name: String, _ work: @escaping () -> Value) -> SideThread<Value> {
        let side = SideThread(work: work)
        let thread = Thread { side.run() }
        thread.name = name
        thread.start()
        return side
    }

    private func run() {
        defer { done.signal() }
        result = StageDeadline.$current.withValue(deadline) { work() }
    }

    /// Waits for the work to end and returns what it returned (the same value on every call).
    func wait() -> Value? {
        if !waited {
            done.wait()
            waited = true
        }
        return result
    }
}
