import Crypto
import Foundation
import LTXCore

/// What a sync generation call returned: the video on disk, or an error response to read.
struct SyncResult: Sendable {
    var response: HTTPResponse
    var file: DownloadedFile?
}

/// A POST whose 200 body (the video) streams to disk with SHA-256 on the way; any other status keeps its body.
enum SyncTransfer {
    static func run(_ request: HTTPRequest, to path: String, configuration: HTTPClientConfiguration) async throws(HTTPError) -> SyncResult {
        try await HTTPClient.runBlocking { (flag: CancellationFlag) throws(HTTPError) -> SyncResult in
            let partial = Downloader.partialPath(for: path)
            try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            let fd = open(partial, O_RDWR | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw HTTPError(kind: .file("cannot open \(partial): \(String(cString: strerror(errno)))"), url: request.url.redacted, requestMayHaveBeenSent: false)
            }
            defer { close(fd) }
            let hashing = HashingWriter(fd: fd)
            let state = TransferState(bodyLimit: 4 << 30, cancellation: flag)
            state.onHeaders = { st in
                if st.status == 200 { st.sink = { hashing.write($0) } }
                return true
            }
            let performed: Result<HTTPTimings, HTTPError>
            do throws(HTTPError) { performed = .success(try HTTPTransfer.perform(request, configuration: configuration, options: .init(bufferSize: 512 * 1024), state: state)) } catch {
                performed = .failure(error)
            }
            guard case .success(let timings) = performed else {
                unlink(partial)
                if case .failure(let error) = performed { throw error }
                throw HTTPError(kind: .status(0), url: request.url.redacted, requestMayHaveBeenSent: true)
            }
            let response = HTTPResponse(status: state.status, headers: state.headers, body: state.body, timings: timings)
            guard state.status == 200 else {
                unlink(partial)
                return SyncResult(response: response, file: nil)
            }
            if let expected = state.headers["content-length"].flatMap(Int64.init), expected != hashing.size {
                unlink(partial)
                throw HTTPError(kind: .lengthMismatch(expected: expected, received: hashing.size), url: request.url.redacted, requestMayHaveBeenSent: true)
            }
            guard hashing.ok else {
                unlink(partial)
                throw HTTPError(kind: .file("cannot write \(path)"), url: request.url.redacted, requestMayHaveBeenSent: true)
            }
            do throws(DurableFileError) { try DurableFile.commit(partial, to: path) } catch {
                throw HTTPError(kind: .file(error.description), url: request.url.redacted, requestMayHaveBeenSent: true)
            }
            let file = DownloadedFile(path: path, size: hashing.size, sha256: hashing.digest, resumes: 0, contentType: state.headers["content-type"])
            return SyncResult(response: response, file: file)
        }
    }
}

/// Writes bytes to a descriptor while hashing them.
final class HashingWriter {
    let fd: Int32
    private var hasher = SHA256()
    private(set) var size: Int64 = 0
    private(set) var ok = true

    init(fd: Int32) { self.fd = fd }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do { try DurableFile.writeAll(fd, bytes, path: "") } catch {
            ok = false
            return false
        }
        hasher.update(bufferPointer: bytes)
        size += Int64(bytes.count)
        return true
    }

    var digest: String { Hex.encode(hasher.finalize()) }
}
