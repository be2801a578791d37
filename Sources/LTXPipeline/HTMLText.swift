import Foundation
import LTXCore

/// Text from bags made safe inside HTML: characters a terminal would act on are escaped as `DisplayText` shows
/// them, then `&`, `<`, `>`, `"` and `'` become entities, so a prompt holding `<script>` or a quote renders as
/// text in an element and cannot end an attribute.
enum HTMLText {
    /// `text` for an element's content or a quoted attribute value.
    static func escaped(_ text: String, limit: Int = 20_000) -> String {
        entities.apply(to: DisplayText.escaped(text, limit: limit))
    }

    private static let entities = CharacterEscaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])

    /// A relative URL for a path under the index's folder: each component percent-encoded (so `?`, `#`, `%`,
    /// spaces and `:` stay part of the name), then escaped for an attribute.
    static func href(_ relativePath: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        let encoded = relativePath.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        return escaped(encoded.joined(separator: "/"))
    }
}
