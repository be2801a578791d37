import Foundation
import LTXMedia
import LTXAPI

/// Caps on the text files of a group: a prompt file may hold at most what the catalog's prompt limit allows
/// (4 bytes per character, plus room for surrounding white space), a sidecar at most `sidecarBytes`. A file over its
/// cap fails its group with a reason and is never read whole.
public struct InputTextLimits: Sendable, Equatable {
    /// Largest prompt file, in bytes.
    public var promptBytes: Int
    /// Largest sidecar, in bytes.
    public var sidecarBytes: Int

    /// Sidecars hold a dozen short keys; 64 KiB leaves room for a long prompt in one.
    public static let sidecarCap = 64 * 1024
    /// The prompt cap when the catalog names no prompt limit.
    public static let promptCapWithoutLimit = 256 * 1024

    /// The caps for `catalog`.
    public init(catalog: Catalog) {
        if let characters = catalog.promptMaxCharacters {
            let (bytes, overflow) = characters.multipliedReportingOverflow(by: 4)
            promptBytes = overflow ? Int.max : min(bytes + 4096, 64 * 1024 * 1024)
        } else {
            promptBytes = InputTextLimits.promptCapWithoutLimit
        }
        sidecarBytes = InputTextLimits.sidecarCap
    }

    /// The cap for a file of `role` (nil: not a text file, only its readability matters).
    public func cap(for role: JobInput.Role) -> Int? {
        switch role {
        case .prompt: promptBytes
        case .sidecar: sidecarBytes
        default: nil
        }
    }

    /// Why the group's text files cannot be taken (one over its cap), if so; sizes are the claimed ones.
    public func rejection(_ inputs: [JobInput], catalog: Catalog) -> JobRejection? {
        for input in inputs {
            guard let cap = cap(for: input.role), let size = input.size, size > Int64(cap) else { continue }
            if input.role == .prompt {
                let limit = catalog.promptMaxCharacters.map { "prompts are at most \($0) characters (the catalog's prompt_max_characters)" }
                    ?? "prompt files are at most \(cap) bytes"
                return JobRejection(reason: "prompt-too-long", detail: "\(input.name) is \(size) bytes; \(limit); it was not read")
            }
            return JobRejection(reason: "sidecar-too-large", detail: "\(input.name) is \(size) bytes; sidecars are at most \(cap) bytes; it was not read")
        }
        return nil
    }

    /// The bytes of a regular file, reading at most `cap` + 1 bytes (nil when it is not a regular file or cannot
    /// be opened). With no cap, only opens the file to prove it can be read and returns no bytes.
    public static func read(_ path: String, cap: Int?) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let cap else { return Data() }
        let limit = cap < Int.max ? cap + 1 : cap
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count < limit {
            let wanted = min(buffer.count, limit - data.count)
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, wanted) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }
}

extension PipelineRunner {
    /// The group's spec by the drop conventions, with its text files capped (`InputTextLimits`): an oversized
    /// prompt or sidecar fails the group with a reason and is never read whole.
    nonisolated func cappedSpec(_ inputs: [JobInput], folder: String, catalog: Catalog? = nil) -> Result<JobSpec, JobRejection> {
        let catalog = catalog ?? steps.catalog
        let limits = InputTextLimits(catalog: catalog)
        if let rejection = limits.rejection(inputs, catalog: catalog) { return .failure(rejection) }
        return JobSpec.make(files: inputs, readText: { name in
            InputTextLimits.read(folder + "/inputs/" + name, cap: limits.cap(for: DropWatcher.role(of: name)))
        }, imageSize: { name in ImageHeader.displaySize(ofFile: folder + "/inputs/" + name) },
           configuration: configuration, catalog: catalog)
    }
}
