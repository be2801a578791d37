/// An escaping done one Unicode scalar at a time: each scalar in the table is written as its replacement, every other
/// scalar as itself. Prometheus label values, BagIt manifest paths and HTML text are each one such table.
public struct CharacterEscaping: Sendable {
    /// The scalars to replace and what is written in their place.
    public let replacements: [Unicode.Scalar: String]

    /// An escaping that writes `replacements[scalar]` for each scalar in the table.
    public init(_ replacements: [Unicode.Scalar: String]) {
        self.replacements = replacements
    }

    /// `text` with every scalar in the table replaced.
    public func apply(to text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replacement = replacements[scalar] {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
