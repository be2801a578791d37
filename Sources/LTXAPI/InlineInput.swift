import Foundation

/// Local files carried inside a JSON request as base64 `data:` URIs (fal's `image_url`, Replicate's `image`).
enum InlineInput {
    /// `input` as a `data:` URI when it is a local file of at most `limit` bytes; other inputs as they are.
    static func dataURI(_ input: GenerationInput?, limit: Int64, provider: String) throws(APIError) -> GenerationInput? {
        guard case .file(let path, let contentType)? = input else { return input }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        guard let size else { throw .rejectedLocally("\(path): cannot read the input file") }
        guard size <= limit else {
            throw .rejectedLocally("\(path): \(size) bytes is more than the \(limit) the \(provider) catalog allows inline (inputs.image.max_bytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .rejectedLocally("\(path): cannot read the input file") }
        return .uri("data:\(contentType);base64,\(data.base64EncodedString())")
    }
}
