import LTXCore

/// Rewrites an archive's `index.html` while `run` files bags (`archive_index: true`): one rewrite at a time on the
/// blocking executor, and requests that arrive during a rewrite fold into one more, so a burst of bags costs two
/// passes over the archive, not one per bag. A rewrite that fails is logged and never stops a job.
actor ArchiveIndexRefresher {
    private let root: String
    private let log: @Sendable (String) -> Void
    private var rewriting: Task<Void, Never>?
    private var pending = false

    init(root: String, log: @escaping @Sendable (String) -> Void) {
        self.root = root
        self.log = log
    }

    /// Asks for a rewrite; returns at once.
    func request() {
        if rewriting != nil {
            pending = true
            return
        }
        rewriting = Task { await self.rewrite() }
    }

    /// Waits for the rewrite under way and any requested during it.
    func finish() async {
        while let task = rewriting { await task.value }
    }

    private func rewrite() async {
        repeat {
            pending = false
            let root = self.root
            do {
                _ = try await BlockingWork.run { () throws(DurableFileError) -> [ArchiveIndex.Card] in try ArchiveIndex.write(root: root) }
            } catch {
                log("archive index: cannot write \(root)/\(ArchiveIndex.fileName) (\(error)); the bags are not affected")
            }
        } while pending
        rewriting = nil
    }
}
