import Foundation

/// Finds the catalog files shipped with the binary and merges a user's override file over them.
///
/// A dialect's catalog is `<dialect>.yml` in the first of these folders that has one:
/// 1. `$LTXPIPE_CATALOGS` when set (and then only there: a wrong setting is an error, not a fallback);
/// 2. `catalogs/` next to the executable;
/// 3. `../share/ltxpipe/catalogs/` from the executable's folder (an installed binary);
/// 4. `catalogs/` of the source checkout the executable was built in (the nearest ancestor folder holding
///    `Package.swift` and `catalogs/`, so `.build/debug/ltxpipe` and `make demo` use the repository's files).
/// When none has the file, the copy built into the binary is used; it is the same text as the shipped file
/// (a test keeps them identical), and `Catalog.source` says so.
public enum CatalogStore {
    /// The environment variable naming a folder of catalog files that replaces the shipped ones.
    public static let environmentVariable = "LTXPIPE_CATALOGS"
    /// Dialects that have a shipped catalog.
    public static let dialects = ["ltx-v2", "generations", "fal", "replicate", "wavespeed", "apifree", "comfyui"]

    /// The file name of a dialect's catalog.
    public static func fileName(dialect: String) -> String { "\(dialect).yml" }

    /// The effective catalog of `dialect`: the shipped file, with the override file at `overrides` merged over it.
    public static func load(dialect: String, overrides: String? = nil) throws(CatalogError) -> Catalog {
        try load(dialect: dialect, overrides: overrides, environment: ProcessInfo.processInfo.environment, executable: executablePath())
    }

    /// As `load(dialect:overrides:)`, looking from `executable` with `environment` (for tests and tools).
    public static func load(dialect: String, overrides: String?, environment: [String: String], executable: String?) throws(CatalogError) -> Catalog {
        var catalog = try shipped(dialect: dialect, environment: environment, executable: executable)
        if let overrides {
            catalog = try CatalogFile.applyingOverrides(path: overrides, to: catalog)
        }
        return catalog
    }

    /// The shipped catalog of `dialect` (no overrides).
    public static func shipped(dialect: String, environment: [String: String], executable: String?) throws(CatalogError) -> Catalog {
        guard let builtIn = builtInText(dialect: dialect) else {
            throw CatalogError(key: "dialect", message: "no catalog for dialect \(dialect); known: \(dialects.joined(separator: ", "))")
        }
        let name = fileName(dialect: dialect)
        if let folder = environment[environmentVariable], !folder.isEmpty {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else {
                throw CatalogError(file: path, message: "no such catalog file (\(environmentVariable) is set to \(folder)); put \(name) there or unset \(environmentVariable)")
            }
            return try CatalogFile.load(path: path)
        }
        for folder in searchFolders(executable: executable) {
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { return try CatalogFile.load(path: path) }
        }
        var catalog = try CatalogFile.parse(yaml: builtIn, file: "catalogs/\(name) (built in)")
        catalog.source = "catalogs/\(name) (the copy built into ltxpipe; no file found next to the executable)"
        return catalog
    }

    /// The folders searched for shipped catalogs, in order, for an executable at `executable`.
    public static func searchFolders(executable: String?) -> [String] {
        guard let executable else { return [] }
        let directory = ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        var folders = [
            (directory as NSString).appendingPathComponent("catalogs"),
            (((directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/ltxpipe/catalogs") as NSString).standardizingPath,
        ]
        var ancestor = directory
        while true {
            let catalogs = (ancestor as NSString).appendingPathComponent("catalogs")
            if FileManager.default.fileExists(atPath: (ancestor as NSString).appendingPathComponent("Package.swift")),
               FileManager.default.fileExists(atPath: catalogs) {
                folders.append(catalogs)
                break
            }
            let parent = (ancestor as NSString).deletingLastPathComponent
            if parent == ancestor || parent.isEmpty { break }
            ancestor = parent
        }
        return folders
    }

    /// The running executable's path (symlinks resolved), when the system says.
    public static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath
    }

    /// The text of the catalog built into the binary for `dialect`.
    static func builtInText(dialect: String) -> String? {
        switch dialect {
        case "ltx-v2": return BuiltInCatalogText.ltxV2
        case "generations": return BuiltInCatalogText.generations
        case "fal": return BuiltInCatalogText.fal
        case "replicate": return BuiltInCatalogText.replicate
        case "wavespeed": return BuiltInCatalogText.wavespeed
        case "apifree": return BuiltInCatalogText.apifree
        case "comfyui": return BuiltInCatalogText.comfyui
        default: return nil
        }
    }
}

extension Catalog {
    /// The generations dialect's catalog built into this binary (`catalogs/generations.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let generations: Catalog = builtIn("generations")

    /// The ltx-v2 dialect's catalog built into this binary (`catalogs/ltx-v2.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let ltxV2: Catalog = builtIn("ltx-v2")

    /// The fal dialect's catalog built into this binary (`catalogs/fal.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let fal: Catalog = builtIn("fal")

    /// The Replicate dialect's catalog built into this binary (`catalogs/replicate.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let replicate: Catalog = builtIn("replicate")

    /// The WaveSpeed dialect's catalog built into this binary (`catalogs/wavespeed.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let wavespeed: Catalog = builtIn("wavespeed")

    /// The APIFree dialect's catalog built into this binary (`catalogs/apifree.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let apifree: Catalog = builtIn("apifree")

    /// The ComfyUI dialect's catalog built into this binary (`catalogs/comfyui.yml` as shipped).
    /// Code that runs requests should use `CatalogStore.load`, which reads the file a user may have changed.
    public static let comfyui: Catalog = builtIn("comfyui")

    private static func builtIn(_ dialect: String) -> Catalog {
        guard let text = CatalogStore.builtInText(dialect: dialect) else { preconditionFailure("no built-in catalog for \(dialect)") }
        do {
            var catalog = try CatalogFile.parse(yaml: text, file: "catalogs/\(dialect).yml (built in)")
            catalog.source = "catalogs/\(dialect).yml (built in)"
            return catalog
        } catch {
            // Unreachable from any file a user gives: the text is compiled in, and CatalogTests loads it.
            preconditionFailure("built-in catalog \(dialect) is invalid: \(error)")
        }
    }
}
