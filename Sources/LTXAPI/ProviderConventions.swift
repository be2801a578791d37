import LTXCore

/// What the JSON provider protocols (fal, Replicate, WaveSpeed AI, APIFree) share: HTTP's meanings for the error
/// statuses they do not document, the ids they hand out, and the start-image rules of the two that take a link.
enum ProviderConventions {
    /// HTTP's own meaning of an error `status`, for a provider that documents none (or only some) of its statuses: 401
    /// and 403 the key (named by `keyVariable`, never shown), 402 the balance, 404 an unknown job, 413 too large, 429
    /// and 5xx unavailable, anything else a refused request. Each provider's error table marks these rows as such.
    static func error(status: Int, message: String, keyVariable: String) -> APIError {
        switch status {
        case 401, 403: return .unauthorized("\(message); check \(keyVariable)")
        case 402: return .insufficientCredits(message)
        case 404: return .notFound(message)
        case 413: return .fileTooLarge(message)
        case 429, 500...599: return .unavailable("HTTP \(status): \(message)")
        default: return .invalidRequest("HTTP \(status): \(message)")
        }
    }

    /// True for an id of ASCII letters and digits, plus the bytes of `extra`, at most `maxLength` bytes long: one that
    /// can go into a URL path as it is.
    static func isPlainID(_ id: String, maxLength: Int, extra: Set<UInt8> = []) -> Bool {
        !id.isEmpty && id.utf8.count <= maxLength && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || extra.contains(byte)
        }
    }

    /// `-` and `_`, the bytes WaveSpeed's and APIFree's ids use besides letters and digits.
    static let dashAndUnderscore: Set<UInt8> = [0x2D, 0x5F]

    /// The start image to send as a link (fal's `image_url`, Replicate's `image`): image-to-video needs one, as an
    /// https URL or a `data:` URI (a local file must have been inlined first); the other modes take none. `provider`
    /// and `field` name them in the messages.
    static func startImageLink(mode: GenerationMode, image: GenerationInput?, provider: String, field: String) throws(APIError) -> String? {
        switch (mode, image) {
        case (.imageToVideo, nil):
            throw .rejectedLocally("image-to-video on \(provider) needs a start image (\(field))")
        case (.imageToVideo, .url(let link)?), (.imageToVideo, .uri(let link)?):
            let lower = link.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("data:") else {
                let scheme = DisplayText.escaped(String(link.prefix(while: { $0 != ":" })), limit: 20)
                throw .rejectedLocally("\(provider) takes a start image as an https URL or a data: URI, not a \(scheme): link")
            }
            return link
        case (.imageToVideo, .file(let path, _)?):
            throw .rejectedLocally("\(path): a local file must be inlined before a \(provider) request")
        case (_, nil):
            return nil
        case (_, .some):
            throw .rejectedLocally("\(mode.rawValue) on \(provider) takes no start image")
        }
    }
}
