/// Hides API keys in text. Whatever writes lines holds a redactor, never a key: the CLI's console builds one from
/// every provider's key variable, a pipeline session one from the keys of its endpoints, and every line they write
/// passes through `redact`.
public struct KeyRedactor: Sendable {
    /// The key values, longest first (so a key that contains another is hidden whole).
    private let keys: [String]

    /// A redactor of `keys`; values shorter than 4 characters are ignored (hiding them would garble ordinary text).
    public init(keys: some Sequence<String>) {
        self.keys = Set(keys).filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// The keys in `environment` under every provider's key variable.
    public init(environment: [String: String]) {
        self.init(keys: DialectName.allCases.map(\.keyVariable).compactMap { environment[$0] })
    }

    /// `text` with every key value replaced by `[key]`.
    public func redact(_ text: String) -> String {
        var text = text
        for key in keys where text.contains(key) { text = text.replacingOccurrences(of: key, with: "[key]") }
        return text
    }

    /// `log` with every line redacted before it is written.
    public func redacting(_ log: @escaping @Sendable (String) -> Void) -> @Sendable (String) -> Void {
        { line in log(redact(line)) }
    }
}
