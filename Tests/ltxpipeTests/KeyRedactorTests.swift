import Testing
@testable import ltxpipe

/// The one place that reads API keys for the console: what it hides and what it leaves alone.
@Suite("Key redactor")
struct KeyRedactorTests {
    @Test("every provider's key in a line becomes [key]")
    func hidesEveryProviderKey() {
        let redactor = KeyRedactor(environment: ["LTX_API_KEY": "ltx-secret-1", "FAL_KEY": "fal-secret-2", "REPLICATE_API_TOKEN": "r8_secret3"])
        let line = redactor.redact("POST with ltx-secret-1, then fal-secret-2 and r8_secret3 again ltx-secret-1")
        #expect(line == "POST with [key], then [key] and [key] again [key]")
    }

    @Test("an empty or very short variable hides nothing, and other variables are not keys")
    func leavesOrdinaryTextAlone() {
        let redactor = KeyRedactor(environment: ["LTX_API_KEY": "", "FAL_KEY": "abc", "HOME": "/home/user", "LTX_API_BASE": "http://127.0.0.1"])
        let line = "abc wrote to /home/user via http://127.0.0.1"
        #expect(redactor.redact(line) == line)
    }

    @Test("a key that contains another key is hidden whole")
    func longerKeyFirst() {
        let redactor = KeyRedactor(environment: ["FAL_KEY": "key-1234", "WAVESPEED_API_KEY": "key-1234-extended"])
        #expect(redactor.redact("sent key-1234-extended and key-1234") == "sent [key] and [key]")
    }
}
