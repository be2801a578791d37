/// Text from files and servers made safe to print: control characters (C0, DEL, C1), line and paragraph separators
/// and bidirectional overrides are shown as `\u{..}` escapes, so a crafted file name, prompt or error body cannot
/// move the cursor, clear a terminal or forge a second log line. Everything printable, accents and other scripts
/// included, is kept.
public enum DisplayText {
    /// `text` with every dangerous character escaped and at most `limit` characters kept. Tabs are kept unless
    /// `escapingTabs`; escapes are lowercase hex unless `uppercaseHex`.
    public static func escaped(_ text: String, limit: Int = 2_000, escapingTabs: Bool = false, uppercaseHex: Bool = false) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            count += 1
            if isDangerous(scalar) && (escapingTabs || scalar != "\t") {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: uppercaseHex) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// True for characters a terminal or a log reader would act on rather than show.
    public static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
