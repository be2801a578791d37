import LTXCore
import Testing

@Suite("CharacterEscaping: one scalar at a time, by table")
struct CharacterEscapingTests {
    @Test func replacesTheScalarsInItsTableAndKeepsEveryOtherOne() {
        let escaping = CharacterEscaping(["%": "%25", "\n": "%0A", "é": "e\u{301}"])
        #expect(escaping.apply(to: "50%\nrésumé") == "50%25%0Are\u{301}sume\u{301}")
        #expect(escaping.apply(to: "") == "")
        #expect(escaping.apply(to: "plain 日本 🎬") == "plain 日本 🎬", "a text with nothing to replace comes back as it was")
    }

    @Test func aReplacementIsWrittenOnceAndNeverEscapedAgain() {
        let escaping = CharacterEscaping(["&": "&amp;", "<": "&lt;"])
        #expect(escaping.apply(to: "<&amp;>") == "&lt;&amp;amp;>")
    }

    @Test func itWalksScalarsNotCharacters() {
        // "\r\n" is one Character but two scalars; a table naming only "\n" still finds it.
        let escaping = CharacterEscaping(["\n": "\\n"])
        #expect(escaping.apply(to: "a\r\nb") == "a\r\\nb")
    }
}
