import Foundation

/// Wakes the drop watcher as soon as Linux reports a change in the folder (inotify), so a new file is noticed
/// without waiting for the next poll. Polling stays regardless: it is what sees changes on network shares,
/// where inotify is blind.
final class DropNotifier: Sendable {
    /// The inotify descriptor; immutable, and read/poll on it are safe from any thread.
    private let descriptor: Int32

    /// Watches `folder`; nil where inotify is unavailable (the caller then polls only).
    init?(folder: String) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Blocks up to `seconds` (real) for a change; true when one arrived. Pending events are drained.
    func wait(seconds: Double) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&request, 1, Int32(max(0, min(seconds, 3600)) * 1000))
        guard ready > 0, (request.revents & Int16(POLLIN)) != 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        return true
    }
}
