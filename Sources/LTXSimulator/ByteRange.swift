import Foundation

/// A single `Range: bytes=...` request, resolved against a file size.
enum ByteRange: Equatable, Sendable {
    /// Serve the whole file (no Range header, or one this server ignores, as RFC 9110 allows).
    case full
    /// Serve `range` (inclusive bounds) with 206.
    case partial(ClosedRange<Int>)
    /// 416: the range starts at or beyond the end.
    case unsatisfiable

    /// Resolves a Range header for a file of `size` bytes. Supports `bytes=N-`, `bytes=N-M` and `bytes=-S`;
    /// multiple ranges and malformed values are ignored (whole file).
    static func resolve(_ header: String?, size: Int) -> ByteRange {
        guard let header else { return .full }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .full }
        let spec = trimmed.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .full }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // Suffix: the last S bytes.
            guard let suffix = Int(last), suffix >= 0 else { return .full }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .full }
        var end = size - 1
        if !last.isEmpty {
            guard let parsed = Int(last), parsed >= start else { return .full }
            end = min(parsed, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .partial(start...end)
    }
}
