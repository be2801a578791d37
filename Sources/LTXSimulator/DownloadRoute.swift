import Foundation
import Hummingbird
import LTXMedia

/// `GET /files/<id>.mp4`: the finished video, no authentication (like a CDN), with Range support and the
/// `truncatedDownloads` fault. Shared by every dialect.
enum DownloadRoute {
    /// Bytes read from disk per write.
    static let chunkSize = 256 * 1024

    static func add(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        router.get("/files/:name") { request, context -> Response in
            try await respond(request, name: context.parameters.get("name") ?? "", environment: environment)
        }
    }

    static func respond(_ request: Request, name: String, environment: SimulatorEnvironment) async throws -> Response {
        guard name.hasSuffix(".mp4") else {
            throw SimulatorError(.notFound, "no file \(name); videos are served as /files/<id>.mp4")
        }
        let id = String(name.dropLast(4))
        let now = environment.clock.now()
        guard let job = await environment.state.job(id) else {
            throw SimulatorError(.notFound, "no video for \(id): unknown generation")
        }
        if job.isExpired(at: now, lifetime: environment.configuration.jobLifetime, replicateLifetime: environment.configuration.replicateOutputLifetime) {
            throw SimulatorError(.notFound, "no video for \(id): results are kept for a limited time after completion and this one has expired")
        }
        switch job.status(at: now) {
        case .processing:
            throw SimulatorError(.notFound, "no video for \(id) yet: the generation is still processing")
        case .failed:
            throw SimulatorError(.notFound, "no video for \(id): the generation failed")
        case .completed:
            break
        }
        guard let pattern = job.pattern else {
            throw SimulatorError(.notFound, "no video for \(id)")
        }
        let path: String
        do {
            path = try await environment.renderer.file(for: pattern, content: job.content, in: environment.cacheDirectory)
        } catch {
            throw SimulatorError(.serverError, "could not render the video for \(id): \(error)")
        }
        let size = try Self.size(of: path, id: id)

        var headers: HTTPFields = [.contentType: "video/mp4", .acceptRanges: "bytes"]
        let status: HTTPResponse.Status
        let range: ClosedRange<Int>
        switch ByteRange.resolve(request.headers[.range], size: size) {
        case .full:
            status = .ok
            range = 0...(size - 1)
        case .partial(let partial):
            status = .partialContent
            range = partial
            headers[.contentRange] = "bytes \(partial.lowerBound)-\(partial.upperBound)/\(size)"
        case .unsatisfiable:
            throw SimulatorError(
                .rangeNotSatisfiable, "range \(request.headers[.range] ?? "") is outside the file's \(size) bytes",
                headers: [.contentRange: "bytes */\(size)", .acceptRanges: "bytes"])
        }
        let truncate = await environment.state.takeTruncatedDownload()
        return Response(status: status, headers: headers, body: fileBody(path: path, range: range, truncate: truncate))
    }

    /// Streams `range` of the file at `path`. A truncated body announces the full length, sends about half, then
    /// drops the connection (the `truncatedDownloads` fault).
    static func fileBody(path: String, range: ClosedRange<Int>, truncate: Bool) -> ResponseBody {
        let length = range.count
        let sendCount = truncate ? max(1, length / 2) : length
        let start = range.lowerBound
        return ResponseBody(contentLength: length) { writer in
            let file = try FileChunkReader(path: path)
            defer { file.close() }
            var offset = 0
            while offset < sendCount {
                let count = min(chunkSize, sendCount - offset)
                let chunk = try await file.read(at: start + offset, count: count)
                guard !chunk.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: chunk))
                offset += chunk.count
            }
            if truncate || offset < length {
                throw SimulatedConnectionDrop(fault: "truncatedDownloads")
            }
            try await writer.finish(nil)
        }
    }

    /// The size of a rendered file, or a 500 naming it when it vanished.
    static func size(of path: String, id: String) throws(SimulatorError) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue, size > 0 else {
            throw SimulatorError(.serverError, "the rendered video for \(id) vanished from \(path); retry to render it again")
        }
        return size
    }
}
