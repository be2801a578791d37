/// Text from files (names, header fields, tags) made safe to print on a terminal or in a log line.
public enum PrintableText {
    /// `text` with every control character (C0, DEL, C1), line or paragraph separator and bidirectional
    /// override written as `\u{XX}`, so a crafted file cannot move the cursor, clear the screen or forge
    /// a second log line.
    /// Backslashes are left alone; everything printable, accents and other scripts included, is kept.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
