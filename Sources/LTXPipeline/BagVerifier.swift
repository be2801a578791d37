import Foundation

/// Re-proves the fixity of BagIt bags (RFC 8493): every checksum, `bagit.txt`, `Payload-Oxum`, and no stray files.
public enum BagVerifier {
    /// Checks the bag at `bag`: recomputes every checksum of every payload manifest (`manifest-<alg>.txt`)
    /// and tag manifest (`tagmanifest-<alg>.txt`), checks `bagit.txt` and `Payload-Oxum`, and lists
    /// damaged, missing and extra files and anything malformed. Never follows a symbolic link and never
    /// reads a path a manifest names outside the bag.
    public static func verify(bag: String) -> BagReport {
        var check = BagCheck(bag: bag)
        check.run()
        return check.report
    }

    /// Finds every bag under `root` (a folder holding `bagit.txt`; hidden folders, such as bags still being
    /// written, are skipped) and verifies each, in path order. `root` may itself be a bag. Empty when
    /// `root` holds no bag or cannot be read.
    public static func verifyArchive(root: String) -> [BagReport] {
        findBags(root: root).map { verify(bag: $0) }
    }

    /// The bag folders under `root`, sorted; symbolic links are not followed.
    public static func findBags(root: String) -> [String] {
        var bags: [String] = []
        collect(root, depth: 0, into: &bags)
        return bags
    }

    private static func collect(_ directory: String, depth: Int, into bags: inout [String]) {
        guard BagFileSystem.kind(directory) == .directory else { return }
        if case .file = BagFileSystem.kind(BagFileSystem.join(directory, "bagit.txt")) {
            bags.append(directory)
            return
        }
        guard depth < 8, let names = try? BagFileSystem.entries(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = BagFileSystem.join(directory, name)
            if BagFileSystem.kind(path) == .directory { collect(path, depth: depth + 1, into: &bags) }
        }
    }

    /// Describes a verified bag from its SHA-256 manifest: payload paths, sizes and digests.
    static func describe(bag: String) -> Bag? {
        let manifest = BagFileSystem.join(bag, "manifest-sha256.txt")
        guard let text = BagCheck.readTagFile(manifest) else { return nil }
        let parsed = BagText.parseManifest(text, name: "manifest-sha256.txt", algorithm: .sha256)
        guard parsed.problems.isEmpty else { return nil }
        var files: [Bag.File] = []
        var total: Int64 = 0
        for entry in parsed.entries {
            guard BagText.isContained(entry.path), case .file(let size) = BagFileSystem.kind(BagFileSystem.join(bag, entry.path)) else {
                return nil
            }
            files.append(Bag.File(path: entry.path, size: size, sha256: entry.digest))
            total += size
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return Bag(path: bag, payloadOxum: "\(total).\(files.count)", files: files)
    }
}

/// One bag's verification in progress.
private struct BagCheck {
    let bag: String
    var damaged: Set<String> = []
    var missing: Set<String> = []
    var extra: Set<String> = []
    var problems: [String] = []

    init(bag: String) { self.bag = bag }

    var report: BagReport {
        func sorted(_ set: Set<String>) -> [String] { set.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return BagReport(path: bag, damaged: sorted(damaged), missing: sorted(missing), extra: sorted(extra), problems: problems)
    }

    /// Reads a small UTF-8 tag file; nil when absent, unreadable, too large or not UTF-8.
    static func readTagFile(_ path: String) -> String? {
        guard case .file(let size) = BagFileSystem.kind(path), size <= BagFileSystem.maxTagFileSize,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    mutating func run() {
        guard BagFileSystem.kind(bag) == .directory else {
            problems.append("\(bag) is not a folder")
            return
        }
        checkDeclaration()
        let topLevel: [String]
        do { topLevel = try BagFileSystem.entries(bag) } catch {
            problems.append("cannot list the bag folder (\(error.message))")
            return
        }
        if topLevel.contains("fetch.txt") {
            problems.append("fetch.txt is present: the bag is incomplete (files to fetch are not supported)")
        }

        // The payload on disk.
        var payload: [String: Int64] = [:]
        let data = BagFileSystem.join(bag, "data")
        switch BagFileSystem.kind(data) {
        case .directory:
            do {
                for entry in try BagFileSystem.walk(data, prefix: "data") {
                    switch entry.kind {
                    case .file(let size): payload[entry.path] = size
                    case .symlink:
                        extra.insert(entry.path)
                        problems.append("\(entry.path) is a symbolic link; a bag's payload must be regular files")
                    default:
                        extra.insert(entry.path)
                        problems.append("\(entry.path) is not a regular file")
                    }
                }
            } catch {
                problems.append("cannot read the payload folder (\(error.message))")
            }
        default:
            problems.append("data/ (the payload folder) is missing")
        }

        // Payload manifests: every payload file in every one of them.
        let payloadManifests = manifests(in: topLevel, prefix: "manifest-")
        if payloadManifests.isEmpty { problems.append("no payload manifest (manifest-sha256.txt) in the bag") }
        for (name, algorithm) in payloadManifests {
            guard let entries = load(name, algorithm: algorithm) else { continue }
            var listed: Set<String> = []
            for entry in entries {
                guard entry.path.hasPrefix("data/") else {
                    problems.append("\(name) line \(entry.line) lists \(BagText.quoted(entry.path)), which is not in data/")
                    continue
                }
                listed.insert(entry.path)
                verifyEntry(entry, manifest: name, algorithm: algorithm)
            }
            for path in payload.keys where !listed.contains(path) { extra.insert(path) }
        }

        // Tag manifests.
        for (name, algorithm) in manifests(in: topLevel, prefix: "tagmanifest-") {
            guard let entries = load(name, algorithm: algorithm) else { continue }
            for entry in entries {
                if entry.path.hasPrefix("tagmanifest-") {
                    problems.append("\(name) line \(entry.line) lists another tag manifest, \(entry.path)")
                    continue
                }
                verifyEntry(entry, manifest: name, algorithm: algorithm)
            }
        }

        checkInfo(payload: payload)
    }

    /// `bagit.txt`: exactly the version and encoding lines.
    mutating func checkDeclaration() {
        let path = BagFileSystem.join(bag, "bagit.txt")
        guard case .file = BagFileSystem.kind(path) else {
            problems.append("bagit.txt is missing")
            return
        }
        guard let text = Self.readTagFile(path) else {
            problems.append("bagit.txt cannot be read as UTF-8 text")
            return
        }
        if text.hasPrefix("\u{FEFF}") { problems.append("bagit.txt starts with a byte-order mark, which RFC 8493 forbids") }
        let lines = BagText.lines(text).filter { !$0.isEmpty }
        let versionOK = lines.count >= 1 && lines[0].range(of: #"^BagIt-Version: [0-9]+\.[0-9]+$"#, options: .regularExpression) != nil
        let encodingOK = lines.count >= 2 && lines[1] == "Tag-File-Character-Encoding: UTF-8"
        if !versionOK || !encodingOK || lines.count != 2 {
            problems.append("bagit.txt must hold exactly \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: UTF-8\"; found \(BagText.quoted(text))")
        }
    }

    /// Top-level `<prefix><alg>.txt` files, with their algorithm; unknown algorithms are reported.
    mutating func manifests(in names: [String], prefix: String) -> [(String, BagChecksum)] {
        var found: [(String, BagChecksum)] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".txt") {
            let algorithmName = String(name.dropFirst(prefix.count).dropLast(4))
            guard let algorithm = BagChecksum(rawValue: algorithmName.lowercased()) else {
                problems.append("\(name) uses checksum algorithm \(BagText.quoted(algorithmName)), which cannot be checked here")
                continue
            }
            found.append((name, algorithm))
        }
        return found
    }

    /// Reads and parses one manifest; nil (with a problem noted) when it cannot be read.
    mutating func load(_ name: String, algorithm: BagChecksum) -> [BagText.ManifestEntry]? {
        guard let text = Self.readTagFile(BagFileSystem.join(bag, name)) else {
            problems.append("\(name) cannot be read as UTF-8 text")
            return nil
        }
        let parsed = BagText.parseManifest(text, name: name, algorithm: algorithm)
        problems += parsed.problems
        var seen: Set<String> = []
        var entries: [BagText.ManifestEntry] = []
        for entry in parsed.entries {
            guard BagText.isContained(entry.path) else {
                problems.append("\(name) line \(entry.line) names \(BagText.quoted(entry.path)), a path outside the bag; it was not read")
                continue
            }
            guard seen.insert(entry.path).inserted else {
                problems.append("\(name) lists \(entry.path) more than once")
                continue
            }
            entries.append(entry)
        }
        return entries
    }

    /// Recomputes one listed file's checksum.
    mutating func verifyEntry(_ entry: BagText.ManifestEntry, manifest: String, algorithm: BagChecksum) {
        let path = BagFileSystem.join(bag, entry.path)
        switch BagFileSystem.kind(path) {
        case .none:
            missing.insert(entry.path)
        case .file:
            do {
                let actual = try BagFileSystem.digest(of: path, algorithm)
                if actual.hex != entry.digest { damaged.insert(entry.path) }
            } catch {
                damaged.insert(entry.path)
                problems.append("\(entry.path) cannot be read (\(error.message))")
            }
        case .symlink:
            damaged.insert(entry.path)
            problems.append("\(entry.path) is a symbolic link; it was not followed")
        case .directory, .other:
            damaged.insert(entry.path)
            problems.append("\(entry.path), listed in \(manifest), is not a regular file")
        }
    }

    /// `bag-info.txt`, when present: well formed, and its Payload-Oxum matches the payload on disk.
    mutating func checkInfo(payload: [String: Int64]) {
        let path = BagFileSystem.join(bag, "bag-info.txt")
        guard case .file = BagFileSystem.kind(path) else { return }
        guard let text = Self.readTagFile(path) else {
            problems.append("bag-info.txt cannot be read as UTF-8 text")
            return
        }
        let parsed = BagText.parseInfo(text)
        problems += parsed.problems
        let oxums = parsed.elements.filter { $0.label == "Payload-Oxum" }
        guard let oxum = oxums.first else { return }
        if oxums.count > 1 { problems.append("bag-info.txt has Payload-Oxum more than once") }
        let parts = oxum.value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let octets = Int64(parts[0]), let count = Int(parts[1]), octets >= 0, count >= 0 else {
            problems.append("Payload-Oxum \(BagText.quoted(oxum.value)) is not \"<octets>.<count>\"")
            return
        }
        let actualOctets = payload.values.reduce(0, +)
        if octets != actualOctets || count != payload.count {
            problems.append("Payload-Oxum says \(octets).\(count) (bytes.files), the payload holds \(actualOctets).\(payload.count)")
        }
    }
}
