import LTXAPI

/// Hides API keys in text. Built once from the environment, it reads every provider's key variable and keeps the
/// values to itself: whatever writes lines holds a redactor, never a key.
struct KeyRedactor: Sendable {
    /// The key values, longest first (so a key that contains another is hidden whole).
    private let keys: [String]

    /// The keys in `environment` under every provider's key variable; values shorter than 4 characters are ignored
    /// (hiding them would garble ordinary text).
    init(environment: [String: String]) {
        let values = Set(DialectName.allCases.map(\.keyVariable).compactMap { environment[$0] }).filter { $0.count >= 4 }
        keys = values.sorted { $0.count > $1.count }
    }

    /// `text` with every key value replaced by `[key]`.
    func redact(_ text: String) -> String {
        var text = text
        for key in keys where text.contains(key) { text = text.replacingOccurrences(of: key, with: "[key]") }
        return text
    }
}
