/// Text from files and servers made safe to print: control characters (ESC, CR, BEL...) are shown as `\u{..}`
/// escapes, so a crafted file name, prompt or error body cannot move the cursor or clear a terminal.
public enum DisplayText {
    /// `text` with every control character escaped and at most `limit` characters kept.
    public static func escaped(_ text: String, limit: Int = 2_000) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            count += 1
            if scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value)) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }
}
