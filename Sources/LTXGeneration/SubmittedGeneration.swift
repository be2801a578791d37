import Foundation
import LTXAPI
import LTXCore

/// What `generate` knows the moment its submit is accepted: enough for `ltxpipe download ID` to wait for, fetch and
/// verify the generation later, in another process. Written next to the video as `ID.generation.json` (no key, no
/// inputs' bytes) and removed once the video is saved and verified.
public struct SubmittedGeneration: Sendable, Codable, Equatable {
    /// The API's generation id.
    public var generationID: String
    /// The wire dialect it was submitted with (`ltx-v2`, `generations`, `fal`).
    public var dialect: String
    /// The request's parameters (the video is verified against them).
    public var parameters: GenerationParameters
    /// What preflight sent (the video of audio-to-video follows the soundtrack's length).
    public var inputs: PreparedInputs
    /// The price-table estimate (nil when a price is unknown).
    public var estimatedCost: Double?
    /// When the submit was accepted (ISO 8601).
    public var submittedAt: String

    enum CodingKeys: String, CodingKey {
        case generationID = "generation_id", dialect, parameters, inputs, estimatedCost = "estimated_cost", submittedAt = "submitted_at"
    }

    /// A record of an accepted submit.
    public init(generationID: String, dialect: String, parameters: GenerationParameters, inputs: PreparedInputs, estimatedCost: Double?, submittedAt: Date) {
        self.generationID = generationID
        self.dialect = dialect
        self.parameters = parameters
        self.inputs = inputs
        self.estimatedCost = estimatedCost
        self.submittedAt = ISO8601DateFormatter().string(from: submittedAt)
    }

    /// The record's file for generation `id` in `folder`.
    public static func path(for id: String, in folder: String) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent(SingleGeneration.fileName(for: id) + ".generation.json").path
    }

    /// Writes the record durably into `folder`; returns its path.
    @discardableResult
    public func write(in folder: String) throws(DurableFileError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = SubmittedGeneration.path(for: generationID, in: folder)
        guard let data = try? encoder.encode(self) else { throw DurableFileError("encode", path, code: EINVAL, detail: "the record cannot be encoded") }
        try DurableFile.makeParent(of: path)
        try DurableFile.write(data, to: path)
        return path
    }

    /// Why a record could not be read.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        /// The file.
        public var path: String
        /// What is wrong with it.
        public var reason: String
        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }
    }

    /// The record of generation `id` in `folder`: nil when there is none, an error when it exists but does not read.
    public static func read(id: String, in folder: String) throws(ReadError) -> SubmittedGeneration? {
        let path = self.path(for: id, in: folder)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(path: path, reason: "cannot be read") }
        let decoder = JSONDecoder()
        let record: SubmittedGeneration
        do { record = try decoder.decode(SubmittedGeneration.self, from: data) } catch {
            throw ReadError(path: path, reason: "not a generation record (\(error))")
        }
        guard record.generationID == id else {
            throw ReadError(path: path, reason: "records generation \(DisplayText.escaped(record.generationID, limit: 80)), not \(id)")
        }
        return record
    }
}
