import Foundation
import LTXCore

/// The text rules of BagIt (RFC 8493): names, percent-encoding, tag-file lines.
enum BagText {
    /// The content of `bagit.txt` for BagIt 1.0.
    static let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    // MARK: Names

    /// Why `name` cannot be a payload path inside `data/`, or nil when it can.
    static func payloadNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "payload name is empty" }
        if name.hasPrefix("/") { return "payload name \(quoted(name)) is absolute; it must be relative to data/" }
        if name.utf8.contains(0) { return "payload name \(quoted(name)) contains a NUL byte" }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "payload name \(quoted(name)) has an empty path component" }
            if component == "." || component == ".." {
                return "payload name \(quoted(name)) contains \(quoted(String(component))), which would leave its place in data/"
            }
            if component.utf8.count > 255 { return "payload name \(quoted(name)) has a component longer than 255 bytes" }
        }
        return nil
    }

    /// Why `jobID` cannot be a bag folder name, or nil when it can.
    static func jobIDProblem(_ jobID: String) -> String? {
        if jobID.isEmpty { return "job id is empty" }
        if jobID == "." || jobID == ".." { return "job id \(quoted(jobID)) is not a folder name" }
        if jobID.hasPrefix(".") { return "job id \(quoted(jobID)) starts with a dot; the bag would be hidden" }
        if jobID.contains("/") { return "job id \(quoted(jobID)) contains a slash; it must be a single folder name" }
        if jobID.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "job id \(quoted(jobID)) contains a control character"
        }
        if jobID.utf8.count > 200 { return "job id is longer than 200 bytes" }
        return nil
    }

    /// True when a path read from a manifest stays inside the bag: relative, no `.`/`..`/empty component.
    static func isContained(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.utf8.contains(0)
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Percent-encodes the characters RFC 8493 §2.1.3 requires in a manifest path: CR, LF and `%`.
    static func encodePath(_ path: String) -> String {
        pathEncoding.apply(to: path)
    }

    private static let pathEncoding = CharacterEscaping(["%": "%25", "\r": "%0D", "\n": "%0A"])

    /// Reverses `encodePath`: decodes `%25`, `%0D` and `%0A` (either case), leaving any other `%` as written.
    static func decodePath(_ path: String) -> String {
        guard path.contains("%") else { return path }
        let scalars = Array(path.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "%", i + 2 < scalars.count {
                let code = String(String.UnicodeScalarView(scalars[(i + 1)...(i + 2)])).uppercased()
                let decoded: Unicode.Scalar? = code == "25" ? "%" : code == "0D" ? "\r" : code == "0A" ? "\n" : nil
                if let decoded {
                    out.append(decoded)
                    i += 3
                    continue
                }
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// `text` in double quotes, line breaks shown as `\n` and `\r`.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }

    // MARK: Dates

    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 1970, month = parts.month ?? 1, day = parts.day ?? 1
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    // MARK: Tag files

    /// Splits text into lines ended by LF, CR or CRLF (a final line without an ending is kept).
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previousCR { previousCR = false; continue }
                result.append(String(current)); current = String.UnicodeScalarView()
            } else if scalar == "\r" {
                result.append(String(current)); current = String.UnicodeScalarView()
                previousCR = true
                continue
            } else {
                current.append(scalar)
            }
            previousCR = false
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }

    /// Why a `bag-info.txt` label is not allowed, or nil.
    static func labelProblem(_ label: String) -> String? {
        if label.isEmpty { return "a bag-info.txt label is empty" }
        if label.contains(":") || label.contains("\n") || label.contains("\r") {
            return "bag-info.txt label \(quoted(label)) contains a colon or a line break"
        }
        if let first = label.unicodeScalars.first, let last = label.unicodeScalars.last,
           first == " " || first == "\t" || last == " " || last == "\t" {
            return "bag-info.txt label \(quoted(label)) starts or ends with whitespace"
        }
        return nil
    }

    /// One `Label: value` element, a value with line breaks folded onto indented continuation lines (RFC 8493 §2.2.2).
    static func infoLine(_ label: String, _ value: String) -> String {
        let parts = lines(value.hasSuffix("\n") || value.hasSuffix("\r") ? value + " " : value)
        guard parts.count > 1 else { return "\(label): \(value)\n" }
        var text = "\(label): \(parts[0])\n"
        for part in parts.dropFirst() { text += "  \(part)\n" }
        return text
    }

    /// One parsed `bag-info.txt` element.
    struct InfoElement {
        var label: String
        var value: String
    }

    /// Parses `bag-info.txt`; continuation lines (starting with a space or tab) are joined with a line break.
    static func parseInfo(_ text: String) -> (elements: [InfoElement], problems: [String]) {
        var elements: [InfoElement] = []
        var problems: [String] = []
        for (number, line) in lines(text).enumerated() {
            if line.isEmpty { continue }
            if let first = line.unicodeScalars.first, first == " " || first == "\t" {
                if elements.isEmpty {
                    problems.append("bag-info.txt line \(number + 1) is a continuation with no element before it")
                } else {
                    elements[elements.count - 1].value += "\n" + line.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append("bag-info.txt line \(number + 1) is not \"Label: value\": \(quoted(line))")
                continue
            }
            let label = String(line[..<colon])
            var value = line[line.index(after: colon)...]
            if let first = value.unicodeScalars.first, first == " " || first == "\t" {
                value = value.dropFirst()
            } else if !value.isEmpty {
                problems.append("bag-info.txt line \(number + 1) has no whitespace after the colon")
            }
            if let problem = labelProblem(label) { problems.append("line \(number + 1): \(problem)") }
            elements.append(InfoElement(label: label, value: String(value)))
        }
        return (elements, problems)
    }

    /// One parsed manifest line.
    struct ManifestEntry {
        var digest: String
        /// The decoded path, relative to the bag.
        var path: String
        var line: Int
    }

    /// Parses a manifest: `<digest><whitespace><path>` per line; paths decoded per RFC 8493 §2.1.3.
    static func parseManifest(_ text: String, name: String, algorithm: BagChecksum) -> (entries: [ManifestEntry], problems: [String]) {
        var entries: [ManifestEntry] = []
        var problems: [String] = []
        let hexDigits = Set("0123456789abcdefABCDEF".unicodeScalars)
        for (number, line) in lines(text).enumerated() {
            if line.isEmpty { continue }
            let scalars = line.unicodeScalars
            guard let gap = scalars.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                problems.append("\(name) line \(number + 1) is not \"checksum  path\": \(quoted(line))")
                continue
            }
            let digest = String(scalars[..<gap])
            guard let pathStart = scalars[gap...].firstIndex(where: { $0 != " " && $0 != "\t" }) else {
                problems.append("\(name) line \(number + 1) has a checksum but no path")
                continue
            }
            guard digest.unicodeScalars.count == algorithm.hexLength, digest.unicodeScalars.allSatisfy({ hexDigits.contains($0) }) else {
                problems.append("\(name) line \(number + 1): \(quoted(digest)) is not a \(algorithm.rawValue) checksum (\(algorithm.hexLength) hex digits)")
                continue
            }
            let path = decodePath(String(scalars[pathStart...]))
            entries.append(ManifestEntry(digest: digest.lowercased(), path: path, line: number + 1))
        }
        return (entries, problems)
    }
}
