import Hummingbird

/// Reads a request body into memory with a size cap (413 beyond it).
enum RequestBodyReader {
    /// The biggest submit body taken: an audio file, an image and room for the other fields.
    static let submitLimit = GenerationRules.reference.maxAudioBytes + GenerationRules.reference.maxImageBytes + 1_000_000

    /// The body's bytes; throws 413 `tooLarge` (by default the generations dialect's message) beyond `limit`.
    static func collect(_ request: Request, limit: Int = submitLimit, tooLarge message: String? = nil) async throws -> [UInt8] {
        let tooLarge = SimulatorError(
            .fileTooLarge,
            message ?? "request body is larger than \(limit) bytes; images may be at most 20 MB and audio 50 MB")
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge
        }
        var collected = ByteBuffer()
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
            collected.writeBuffer(&chunk)
        }
        return collected.getBytes(at: collected.readerIndex, length: collected.readableBytes) ?? []
    }
}
