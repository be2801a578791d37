import Foundation

/// A header value with `; key=value` parameters (values optionally quoted), e.g. a Content-Type or Content-Disposition.
struct HeaderParameters: Sendable {
    /// The part before the first `;`.
    let value: String
    /// Parameters by lower-cased key.
    let parameters: [String: String]

    subscript(key: String) -> String? { parameters[key.lowercased()] }

    static func parse(_ header: String) -> HeaderParameters {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        var parameters: [String: String] = [:]
        for segment in segments.dropFirst() {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            let key = segment[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = segment[segment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if parameters[key] == nil { parameters[key] = value }
        }
        return HeaderParameters(value: (segments.first ?? "").trimmingCharacters(in: .whitespaces), parameters: parameters)
    }
}
