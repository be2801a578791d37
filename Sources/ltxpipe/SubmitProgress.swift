/// How far `generate` got with its submit: what a Ctrl-C must tell the user about money.
enum SubmitProgress: Sendable {
    /// Preflight or validation: nothing sent.
    case preparing
    /// A submit is on the wire: its outcome is not known.
    case sending
    /// The API accepted generation `id`.
    case accepted(String)
}
