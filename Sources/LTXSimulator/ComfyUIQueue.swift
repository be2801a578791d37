import Foundation
import LTXMedia

/// One simulated ComfyUI server's memory: one GPU working a FIFO queue, the history of finished prompts, the input
/// folder (uploads) and the output folder. Queue, history and the execution cache live in memory and a restart
/// forgets them; uploads and outputs are files, so they survive it.
actor ComfyUIQueue {
    /// A queued or running prompt.
    struct Entry: Sendable {
        let number: Int
        let id: String
        /// The prompt's JSON as received (history and `/queue` echo it).
        let prompt: Data
        let render: ComfyUIRules.Render
        let queuedAt: Double
        var finishAt: Double?
    }

    /// A finished prompt as `/history` lists it.
    struct Finished: Sendable {
        let number: Int
        let prompt: Data
        let render: ComfyUIRules.Render
        /// `(filename, subfolder)` of the saved video, nil when it failed.
        let file: (String, String)?
        let error: String?
        let interrupted: Bool
    }

    private var pending: [Entry] = []
    private var running: Entry?
    private var history: [String: Finished] = [:]
    private var cache: [Data: (String, String)] = [:]
    private(set) var uploads: [String: [UInt8]] = [:]
    private var outputs: [String: (TestPattern, VideoContent)] = [:]
    private var counters: [String: Int] = [:]
    private var number = 0
    private var lastFinish = 0.0
    private var interruptAt: Double?
    /// Prompts accepted since the process started (restarts included), for tests.
    private(set) var promptsAccepted = 0
    /// Renders that ran (not cached), for tests.
    private(set) var executions = 0
    /// Restarts simulated, for tests.
    private(set) var restarts = 0

    /// Queues a checked prompt under `id` (a duplicate id is queued again, as ComfyUI does); returns its number.
    func submit(id: String, prompt: Data, render: ComfyUIRules.Render, at now: Double) -> Int {
        advance(to: now)
        number += 1
        promptsAccepted += 1
        pending.append(Entry(number: number, id: id, prompt: prompt, render: render, queuedAt: now))
        advance(to: now)
        return number
    }

    /// The running and pending prompts as `(number, id, prompt)`.
    func queue(at now: Double) -> (running: [(Int, String, Data)], pending: [(Int, String, Data)]) {
        advance(to: now)
        return (running.map { [($0.number, $0.id, $0.prompt)] } ?? [], pending.map { ($0.number, $0.id, $0.prompt) })
    }

    /// The finished prompt `id`, nil while queued, running or unknown.
    func finished(_ id: String, at now: Double) -> Finished? {
        advance(to: now)
        return history[id]
    }

    /// Every finished prompt id.
    func finishedIDs(at now: Double) -> [String] {
        advance(to: now)
        return history.keys.sorted()
    }

    /// Stops the running prompt after ComfyUI's delay (1 s nominal).
    func interrupt(at now: Double) {
        advance(to: now)
        if running != nil { interruptAt = now + 1 }
    }

    /// Removes pending prompts by id.
    func delete(_ ids: [String], at now: Double) {
        advance(to: now)
        pending.removeAll { ids.contains($0.id) }
    }

    /// Forgets queue, history and cache, as a restarted ComfyUI does; files stay.
    func restart(at now: Double) {
        advance(to: now)
        pending = []
        running = nil
        history = [:]
        cache = [:]
        interruptAt = nil
        lastFinish = now
        restarts += 1
    }

    /// Stores an upload; a different file under a taken name is renamed `name (1).ext`, the same file keeps its name.
    func upload(name: String, bytes: [UInt8], overwrite: Bool) -> String {
        var chosen = name
        var counter = 1
        while !overwrite, let existing = uploads[chosen], existing != bytes {
            let url = URL(fileURLWithPath: name)
            let stem = url.deletingPathExtension().lastPathComponent, ext = url.pathExtension
            chosen = "\(stem) (\(counter))" + (ext.isEmpty ? "" : ".\(ext)")
            counter += 1
        }
        uploads[chosen] = bytes
        return chosen
    }

    /// The rendered shape of an output file, nil when there is none.
    func output(filename: String, subfolder: String) -> (TestPattern, VideoContent)? {
        outputs[subfolder + "/" + filename]
    }

    /// Runs the GPU forward to `now`: finishes what is due, starts the next prompt where the last one ended.
    private func advance(to now: Double) {
        while true {
            if var current = running {
                if let stop = interruptAt, stop <= (current.finishAt ?? now), stop <= now {
                    history[current.id] = Finished(number: current.number, prompt: current.prompt, render: current.render, file: nil,
                                                   error: "Interrupted by user", interrupted: true)
                    lastFinish = stop
                    interruptAt = nil
                    running = nil
                    continue
                }
                if current.finishAt == nil { current.finishAt = lastFinish + ComfyUIRules.seconds(for: current.render.pattern) }
                guard let finish = current.finishAt, finish <= now else { running = current; return }
                complete(current)
                lastFinish = finish
                running = nil
                continue
            }
            guard !pending.isEmpty else { return }
            var next = pending.removeFirst()
            let start = max(lastFinish, next.queuedAt)
            lastFinish = start
            if let cached = cache[next.prompt] {
                // ComfyUI runs nothing for a prompt it has run before: the history names the earlier file.
                history[next.id] = Finished(number: next.number, prompt: next.prompt, render: next.render, file: cached, error: nil, interrupted: false)
                continue
            }
            next.finishAt = start + ComfyUIRules.seconds(for: next.render.pattern)
            running = next
        }
    }

    private func complete(_ entry: Entry) {
        if let error = entry.render.runtimeError {
            history[entry.id] = Finished(number: entry.number, prompt: entry.prompt, render: entry.render, file: nil, error: error, interrupted: false)
            return
        }
        executions += 1
        let parts = entry.render.filenamePrefix.split(separator: "/").map(String.init)
        let stem = parts.last ?? "ComfyUI"
        let subfolder = parts.dropLast().joined(separator: "/")
        let counter = (counters[entry.render.filenamePrefix] ?? 0) + 1
        counters[entry.render.filenamePrefix] = counter
        let filename = stem + "_" + String(format: "%05d", counter) + "_.mp4"
        outputs[subfolder + "/" + filename] = (entry.render.pattern, entry.render.content)
        cache[entry.prompt] = (filename, subfolder)
        history[entry.id] = Finished(number: entry.number, prompt: entry.prompt, render: entry.render, file: (filename, subfolder), error: nil, interrupted: false)
    }
}
