import Crypto
import Dispatch
import Foundation
import LTXCore
import Synchronization

/// Limits and retry behaviour of one download.
public struct DownloadOptions: Sendable {
    /// Largest file accepted, in bytes.
    public var maxBytes: Int64
    /// Transfers tried in all (the first plus resumes) before giving up.
    public var attempts: Int
    /// Real seconds to wait before resuming a broken transfer.
    public var retryDelay: Double
    /// Header fields sent with every transfer (the API key, for a provider whose file endpoint is part of its API:
    /// given only when the URL is on the API's own origin; libcurl never sends it to another host after a redirect).
    public var headers: [(String, String)] = []

    /// Defaults: 4 GiB cap, 5 attempts, 1 s between them.
    public init(maxBytes: Int64 = 4 << 30, attempts: Int = 5, retryDelay: Double = 1) {
        self.maxBytes = maxBytes
        self.attempts = attempts
        self.retryDelay = retryDelay
    }
}

/// A file fully downloaded and moved into place.
public struct DownloadedFile: Sendable, Codable, Equatable {
    /// Where it is.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    /// Lower-case hex SHA-256 of its bytes, computed while they streamed in.
    public var sha256: String
    /// How many times a broken transfer was resumed with `Range`.
    public var resumes: Int
    /// The server's Content-Type, when given.
    public var contentType: String?
}

/// Streams a URL to disk: constant memory, SHA-256 on the fly, Range resume, Content-Length check, size cap,
/// a temporary `.NAME.part` renamed into place when complete. Sends no credentials but those in `DownloadOptions.headers`.
public struct Downloader: Sendable {
    /// Transfer settings (timeouts, redirect bound).
    public let configuration: HTTPClientConfiguration

    /// A downloader with the given transfer settings.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// The partial file a download of `path` writes to (kept across crashes, resumed next time).
    public static func partialPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).part").path
    }

    /// Downloads `url` to `path`; `progress` gets (bytes on disk, expected total) from the transfer thread.
    public func download(
        from url: URL, to path: String, options: DownloadOptions = DownloadOptions(),
        progress: (@Sendable (Int64, Int64?) -> Void)? = nil
    ) async throws(HTTPError) -> DownloadedFile {
        let configuration = self.configuration
        return try await HTTPClient.runBlocking { (flag: CancellationFlag) throws(HTTPError) -> DownloadedFile in
            try DownloadJob(url: url, path: path, options: options, configuration: configuration, cancellation: flag, progress: progress).run()
        }
    }
}

/// One download's blocking loop of attempts.
private final class DownloadJob {
    let url: URL, path: String, partial: String
    let options: DownloadOptions
    let configuration: HTTPClientConfiguration
    let cancellation: CancellationFlag
    let progress: (@Sendable (Int64, Int64?) -> Void)?
    var hasher = SHA256()
    var fd: Int32 = -1
    var onDisk: Int64 = 0
    var expectedTotal: Int64?
    var contentType: String?
    var lastProgress: Int64 = 0
    /// Flushes written data to disk in the background while the transfer goes on, so the fsync that makes the
    /// finished file durable only has the last few megabytes left to write.
    private let flusher = DispatchQueue(label: "ltxpipe.download.flush")
    private let flushing = FlushFlag()
    private var flushRequestedAt: Int64 = 0
    static let flushEvery: Int64 = 32 << 20

    init(url: URL, path: String, options: DownloadOptions, configuration: HTTPClientConfiguration,
         cancellation: CancellationFlag, progress: (@Sendable (Int64, Int64?) -> Void)?) {
        self.url = url
        self.path = path
        self.partial = Downloader.partialPath(for: path)
        self.options = options
        self.configuration = configuration
        self.cancellation = cancellation
        self.progress = progress
    }

    deinit {
        flusher.sync {}
        if fd >= 0 { close(fd) }
    }

    func fail(_ kind: HTTPError.Kind) -> HTTPError { HTTPError(kind: kind, url: url.redacted, requestMayHaveBeenSent: true) }

    func run() throws(HTTPError) -> DownloadedFile {
        // Refused before any file is made: a link of another scheme leaves nothing behind in the target folder.
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw HTTPError(kind: .forbiddenScheme(scheme.isEmpty ? "(none)" : scheme), url: url.redacted, requestMayHaveBeenSent: false)
        }
        try openPartial()
        var resumes = 0
        var lastError: HTTPError? = nil
        for attempt in 0..<max(1, options.attempts) {
            if cancellation.isRaised { throw fail(.cancelled) }
            if attempt > 0 {
                resumes += onDisk > 0 ? 1 : 0
                waitBeforeRetry()
            }
            do {
                if try transfer() { return try finish(resumes: resumes) }
            } catch {
                switch error.kind {
                case .transport, .lengthMismatch: lastError = error
                case .tooLarge:
                    // Never leave gigabytes behind for a resume that would be refused again.
                    discardPartial()
                    throw error
                default: throw error
                }
            }
        }
        throw lastError ?? fail(.status(0))
    }

    private func discardPartial() {
        flusher.sync {}
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(partial)
    }

    private func openPartial() throws(HTTPError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw fail(.file("cannot create \(directory): \(error.localizedDescription)"))
        }
        fd = open(partial, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw fail(.file("cannot open \(partial): \(String(cString: strerror(errno)))")) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw fail(.file("cannot read \(partial): \(String(cString: strerror(errno)))")) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            onDisk += Int64(n)
        }
    }

    private func restartFromZero() -> Bool {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { return false }
        hasher = SHA256()
        onDisk = 0
        return true
    }

    /// One transfer; true when the file is complete.
    private func transfer() throws(HTTPError) -> Bool {
        // Large files on slow links take long, but never without end: a stalled or trickling server is cut off and
        // the transfer resumes from what is on disk.
        var request = HTTPRequest(method: "GET", url: url, headers: options.headers, timeout: 3600)
        let startOffset = onDisk
        if startOffset > 0 { request.headers.append(("Range", "bytes=\(startOffset)-")) }
        let state = TransferState(bodyLimit: options.maxBytes, cancellation: cancellation)
        var headerProblem: HTTPError.Kind? = nil
        state.onHeaders = { [unowned self] st in
            switch st.status {
            case 200:
                if self.onDisk > 0 && !self.restartFromZero() { headerProblem = .file("cannot truncate \(self.partial)"); return false }
                self.expectedTotal = st.headers["content-length"].flatMap { Int64($0) }
            case 206:
                guard let range = ContentRange(st.headers["content-range"]), range.start == self.onDisk else {
                    headerProblem = .status(206)
                    return false
                }
                self.expectedTotal = range.total
            case 416 where self.onDisk > 0:
                // The partial file already ends where the server's file ends (or past it): start again from zero.
                headerProblem = .status(416)
                return false
            default:
                headerProblem = .status(st.status)
                return false
            }
            self.contentType = st.headers["content-type"]
            if let total = self.expectedTotal, total > self.options.maxBytes {
                headerProblem = .tooLarge(limit: self.options.maxBytes)
                return false
            }
            return true
        }
        state.sink = { [unowned self] bytes in
            guard self.write(bytes) else { return false }
            self.hasher.update(bufferPointer: bytes)
            self.onDisk += Int64(bytes.count)
            self.flushInBackground()
            if let progress = self.progress, self.onDisk - self.lastProgress >= 4 << 20 {
                self.lastProgress = self.onDisk
                progress(self.onDisk, self.expectedTotal)
            }
            return self.onDisk <= self.options.maxBytes
        }
        do {
            _ = try HTTPTransfer.perform(request, configuration: configuration, options: .init(followRedirects: true, bufferSize: 512 * 1024), state: state)
        } catch {
            if case .status(416)? = headerProblem, startOffset > 0 {
                guard restartFromZero() else { throw fail(.file("cannot truncate \(partial)")) }
                throw fail(.lengthMismatch(expected: -1, received: startOffset))
            }
            if let headerProblem { throw fail(headerProblem) }
            if onDisk > options.maxBytes { throw fail(.tooLarge(limit: options.maxBytes)) }
            throw error
        }
        if let headerProblem { throw fail(headerProblem) }
        if state.status == 416, startOffset > 0 {
            guard restartFromZero() else { throw fail(.file("cannot truncate \(partial)")) }
            throw fail(.lengthMismatch(expected: -1, received: startOffset))
        }
        guard state.status == 200 || state.status == 206 else { throw fail(.status(state.status)) }
        if let total = expectedTotal, total != onDisk { throw fail(.lengthMismatch(expected: total, received: onDisk)) }
        return true
    }

    private func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do { try DurableFile.writeAll(fd, bytes, path: partial) } catch { return false }
        return true
    }

    private func flushInBackground() {
        guard onDisk - flushRequestedAt >= DownloadJob.flushEvery else { return }
        guard flushing.begin() else { return }
        flushRequestedAt = onDisk
        let fd = self.fd
        let flag = flushing
        // The descriptor stays open until `flusher` has drained: `finish` and `deinit` wait for it before closing.
        flusher.async {
            fdatasync(fd)
            flag.end()
        }
    }

    private func waitBeforeRetry() {
        let deadline = Date().addingTimeInterval(options.retryDelay)
        while Date() < deadline && !cancellation.isRaised { usleep(10_000) }
    }

    private func finish(resumes: Int) throws(HTTPError) -> DownloadedFile {
        flusher.sync {}
        close(fd)
        fd = -1
        // The commit flushes the file (most of it already flushed in the background), renames it, flushes the folder.
        do { try DurableFile.commit(partial, to: path) } catch { throw fail(.file(error.description)) }
        let digest = Hex.encode(hasher.finalize())
        progress?(onDisk, expectedTotal)
        return DownloadedFile(path: path, size: onDisk, sha256: digest, resumes: resumes, contentType: contentType)
    }
}

/// A parsed `Content-Range: bytes START-END/TOTAL` header.
struct ContentRange {
    let start: Int64
    let end: Int64
    let total: Int64?

    init?(_ header: String?) {
        guard let header, header.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst(6)
        let halves = spec.split(separator: "/")
        guard halves.count == 2 else { return nil }
        let bounds = halves[0].split(separator: "-")
        guard bounds.count == 2, let s = Int64(bounds[0]), let e = Int64(bounds[1]) else { return nil }
        start = s
        end = e
        total = Int64(halves[1])
    }
}

/// Whether a background flush is running (at most one at a time).
final class FlushFlag: Sendable {
    private let running = Atomic<Bool>(false)

    /// True when the caller may start a flush (none was running).
    func begin() -> Bool { running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged }

    /// Marks the flush finished.
    func end() { running.store(false, ordering: .releasing) }
}
