import Foundation

/// Unique identifiers with a prefix, e.g. `gen_3f9c…`, `req_a81b…`.
enum Identifiers {
    static func make(_ prefix: String) -> String {
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return "\(prefix)_\(hex.prefix(24))"
    }
}
