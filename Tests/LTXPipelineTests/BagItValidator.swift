import Crypto
import Foundation

/// A BagIt 1.0 validator written from RFC 8493 alone, sharing no code with `BagVerifier`, so the tests
/// do not grade the product with its own answers. It returns every violation it finds; none means valid.
///
/// Checks: `bagit.txt` is exactly the two declaration lines (§2.1.1); `data/` exists (§2.1.2); every line of
/// every payload manifest is `checksum<whitespace>filepath` (§2.1.3) with the filepath percent-decoded for
/// CR, LF and `%`, inside `data/`, present, and with a matching checksum; every payload file is listed in every
/// payload manifest (§3); tag manifests (§2.2.1) verify and do not list tag manifests; `bag-info.txt`
/// (§2.2.2) is `Label: value` lines with indented continuations and its `Payload-Oxum` matches the payload;
/// no `fetch.txt`; and (stricter than the RFC, as this project's bags promise) no file outside the manifests.
struct BagItValidator {
    let root: URL

    init(_ path: String) { root = URL(fileURLWithPath: path, isDirectory: true) }

    /// Every violation found, each naming the file concerned.
    func violations() -> [String] {
        var errors: [String] = []
        let fm = FileManager.default

        // §2.1.1 bagit.txt
        if let declaration = fm.contents(atPath: root.appendingPathComponent("bagit.txt").path) {
            if declaration.starts(with: [0xEF, 0xBB, 0xBF]) { errors.append("bagit.txt: has a BOM") }
            let text = String(decoding: declaration, as: UTF8.self)
            let lines = Self.splitLines(text)
            if lines != ["BagIt-Version: 1.0", "Tag-File-Character-Encoding: UTF-8"] {
                errors.append("bagit.txt: not the two declaration lines: \(lines)")
            }
        } else {
            errors.append("bagit.txt: missing")
        }

        // §2.1.2 payload directory
        var isDir: ObjCBool = false
        let dataDir = root.appendingPathComponent("data")
        if !fm.fileExists(atPath: dataDir.path, isDirectory: &isDir) || !isDir.boolValue {
            errors.append("data/: missing")
        }
        if fm.fileExists(atPath: root.appendingPathComponent("fetch.txt").path) { errors.append("fetch.txt: present") }

        // The payload actually on disk.
        var payloadOnDisk: [String: Int] = [:]
        if let walker = fm.enumerator(at: dataDir, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey]) {
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey])
                let relative = "data/" + url.path.dropFirst(dataDir.path.count + 1)
                if values?.isSymbolicLink == true { errors.append("\(relative): symbolic link in payload") }
                if values?.isRegularFile == true { payloadOnDisk[relative] = values?.fileSize ?? 0 }
            }
        }

        let topLevel = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        let payloadManifests = topLevel.filter { $0.hasPrefix("manifest-") && $0.hasSuffix(".txt") }
        let tagManifests = topLevel.filter { $0.hasPrefix("tagmanifest-") && $0.hasSuffix(".txt") }
        if payloadManifests.isEmpty { errors.append("no payload manifest") }

        for manifest in payloadManifests {
            let listed = check(manifest: manifest, errors: &errors)
            for entry in listed where !entry.hasPrefix("data/") { errors.append("\(manifest): \(entry) is not under data/") }
            for file in payloadOnDisk.keys where !listed.contains(file) { errors.append("\(manifest): does not list \(file)") }
        }
        var tagListed: Set<String> = []
        for manifest in tagManifests {
            let listed = check(manifest: manifest, errors: &errors)
            for entry in listed where entry.hasPrefix("tagmanifest-") { errors.append("\(manifest): lists tag manifest \(entry)") }
            tagListed.formUnion(listed)
        }
        // Stricter than the RFC: every tag file is covered by a tag manifest.
        if !tagManifests.isEmpty {
            for name in topLevel where name != "data" && !tagManifests.contains(name) && !tagListed.contains(name) {
                errors.append("\(name): not covered by any tag manifest")
            }
        }

        // §2.2.2 bag-info.txt
        if let info = fm.contents(atPath: root.appendingPathComponent("bag-info.txt").path) {
            var elements: [(String, String)] = []
            for line in Self.splitLines(String(decoding: info, as: UTF8.self)) where !line.isEmpty {
                if line.first == " " || line.first == "\t" {
                    if elements.isEmpty { errors.append("bag-info.txt: continuation before any element") }
                    continue
                }
                let pieces = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard pieces.count == 2, !pieces[0].isEmpty, pieces[0].first != " ", pieces[0].last != " " else {
                    errors.append("bag-info.txt: bad line \(line.debugDescription)")
                    continue
                }
                guard pieces[1].isEmpty || pieces[1].first == " " || pieces[1].first == "\t" else {
                    errors.append("bag-info.txt: no whitespace after the colon in \(line.debugDescription)")
                    continue
                }
                elements.append((String(pieces[0]), String(pieces[1].dropFirst())))
            }
            if let oxum = elements.first(where: { $0.0 == "Payload-Oxum" })?.1 {
                let expected = "\(payloadOnDisk.values.reduce(0, +)).\(payloadOnDisk.count)"
                if oxum != expected { errors.append("bag-info.txt: Payload-Oxum \(oxum), payload is \(expected)") }
            }
        }
        return errors
    }

    /// Verifies one manifest's lines; returns the decoded paths it lists.
    private func check(manifest: String, errors: inout [String]) -> Set<String> {
        let algorithm = String(manifest.split(separator: "-", maxSplits: 1)[1].dropLast(4))
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(manifest).path) else {
            errors.append("\(manifest): unreadable")
            return []
        }
        var listed: Set<String> = []
        for line in Self.splitLines(String(decoding: data, as: UTF8.self)) where !line.isEmpty {
            guard let gap = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                errors.append("\(manifest): bad line \(line.debugDescription)")
                continue
            }
            let checksum = line[..<gap].lowercased()
            let encoded = String(line[gap...].drop(while: { $0 == " " || $0 == "\t" }))
            let path = Self.percentDecode(encoded)
            if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
                || path.hasPrefix("/") {
                errors.append("\(manifest): unsafe path \(path.debugDescription)")
                continue
            }
            if !listed.insert(path).inserted { errors.append("\(manifest): \(path) listed twice") }
            guard let content = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                errors.append("\(manifest): \(path) missing")
                continue
            }
            let actual: String
            switch algorithm {
            case "sha256": actual = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
            case "sha512": actual = SHA512.hash(data: content).map { String(format: "%02x", $0) }.joined()
            default:
                errors.append("\(manifest): algorithm \(algorithm) not supported by this validator")
                return listed
            }
            if actual != checksum { errors.append("\(manifest): \(path) checksum mismatch") }
        }
        return listed
    }

    /// RFC 8493 §2.1.3: only `%0A`, `%0D` and `%25` are encoded in a filepath.
    static func percentDecode(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[percent...].prefix(3).uppercased()
            switch code {
            case "%0A": out += "\n"
            case "%0D": out += "\r"
            case "%25": out += "%"
            default:
                out += "%"
                rest = rest[rest.index(after: percent)...]
                continue
            }
            rest = rest[rest.index(percent, offsetBy: 3)...]
        }
        return out + rest
    }

    /// Lines ended by LF, CR or CRLF.
    static func splitLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.isEmpty ? 0 : (text.hasSuffix("\n") || text.hasSuffix("\r") ? 1 : 0))
            .map(String.init)
    }
}
