import Foundation
import Synchronization

/// A block of status lines kept at the bottom of a terminal and redrawn in place: log lines are written above it
/// (the block is erased, the line written, the block drawn again), and the block is redrawn at most
/// `LiveStatus.redrawsPerSecond` times a second, whatever the rate of updates. Lines are cut to the terminal's width
/// so none wraps (a wrapped line would make the erase miss a row).
final class LiveStatus: Sendable {
    /// The most redraws in a second.
    static let redrawsPerSecond = 4

    private struct State {
        var lines: [String] = []
        var drawn = 0
        var lastDraw: ContinuousClock.Instant?
        var dirty = false
        var finished = false
    }

    private let descriptor: Int32
    private let state = Mutex(State())

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Replaces the block's lines; drawn now when the last redraw is old enough, else at the next `tick`.
    func show(_ lines: [String]) {
        state.withLock { state in
            guard !state.finished, state.lines != lines else { return }
            state.lines = lines
            state.dirty = true
            drawIfDue(&state)
        }
    }

    /// Draws a change that had to wait for the redraw interval.
    func tick() {
        state.withLock { drawIfDue(&$0) }
    }

    /// Writes `data` (whole lines) above the block.
    func printAbove(_ data: Data, to target: Int32) {
        state.withLock { state in
            var erase = eraseSequence(state.drawn)
            state.drawn = 0
            if target == descriptor {
                erase.append(data)
                Output.rawWrite(erase, to: descriptor)
            } else {
                Output.rawWrite(erase, to: descriptor)
                Output.rawWrite(data, to: target)
            }
            guard !state.finished else { return }
            state.dirty = true
            drawIfDue(&state)
        }
    }

    /// Erases the block for good: what follows is written as plain lines.
    func finish() {
        state.withLock { state in
            Output.rawWrite(eraseSequence(state.drawn), to: descriptor)
            state.drawn = 0
            state.finished = true
        }
    }

    private func drawIfDue(_ state: inout State) {
        guard state.dirty, !state.finished else { return }
        let now = ContinuousClock.now
        if let last = state.lastDraw, now - last < .milliseconds(1000 / Self.redrawsPerSecond) { return }
        let width = max(20, Self.columns(of: descriptor) - 1)
        var bytes = eraseSequence(state.drawn)
        for line in state.lines { bytes.append(Data((Self.cut(line, to: width) + "\u{1B}[K\n").utf8)) }
        Output.rawWrite(bytes, to: descriptor)
        state.drawn = state.lines.count
        state.lastDraw = now
        state.dirty = false
    }

    /// Moves up over `lines` drawn lines and clears from there to the end of the screen.
    private func eraseSequence(_ lines: Int) -> Data {
        lines > 0 ? Data("\r\u{1B}[\(lines)A\u{1B}[J".utf8) : Data()
    }

    /// `text` cut to `width` characters, with `…` where it was cut.
    static func cut(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    /// The terminal's width in columns (80 when it does not say).
    static func columns(of descriptor: Int32) -> Int {
        var size = winsize()
        let result = withUnsafeMutablePointer(to: &size) { ioctl(descriptor, UInt(TIOCGWINSZ), $0) }
        return result == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}
