/// Columns aligned with spaces under a header, for listings a person reads in a terminal.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []
    /// Columns aligned to the right (amounts).
    var rightAligned: Set<Int> = []

    /// The table's lines: the header, then one per row; the last column is not padded.
    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column -> String in
                let cell = row[column]
                let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                if rightAligned.contains(column) { return pad + cell }
                return column == row.count - 1 ? cell : cell + pad
            }.joined(separator: "  ")
        }
    }
}
