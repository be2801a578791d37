import LTXCore

/// Text from files (names, header fields, tags) made safe to print, in the form media errors use: every dangerous
/// character (`DisplayText.isDangerous`), tabs included, as an uppercase `\u{XX}` escape, nothing cut.
public enum PrintableText {
    /// `text` with every dangerous character escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: DisplayText.isDangerous) else { return text }
        return DisplayText.escaped(text, limit: .max, escapingTabs: true, uppercaseHex: true)
    }
}
