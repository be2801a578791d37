import Synchronization
import Testing
import LTXAPI

/// What the key redactor hides and what it leaves alone, for the console's lines and a pipeline session's.
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

    @Test("a redacting log writes each line with the keys hidden")
    func redactingLog() {
        let lines = LockedLines()
        let log = KeyRedactor(keys: ["session-key-77", "ab"]).redacting { lines.append($0) }
        log("401 for session-key-77 at ab")
        #expect(lines.all == ["401 for [key] at ab"])
    }
}

/// Lines written by a log closure, kept for a test.
final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
