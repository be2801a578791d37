import Foundation
import LTXAPI
import LTXMedia
import Yams

/// Reads pipeline files (`pipelines/*.yml`) into a validated `PipelineConfiguration`.
///
/// Every key is checked: unknown keys (at any level) and values of the wrong type are errors, so a typo never
/// silently does nothing. Errors name the file, the line and the key (see `PipelineFileError`).
/// Relative folders resolve against the pipeline file's own folder; `~` and `~/…` expand to `$HOME`.
public enum PipelineFile {
    /// Wire dialects `api.dialect` may name.
    public static let dialects = DialectName.allCases.map(\.rawValue)

    /// Largest pipeline file `load` reads, in bytes (a pipeline file is a page of settings, not data).
    public static let maxFileBytes = 1_000_000

    /// Reads, parses and validates the pipeline file at `path` (relative to the working directory, or absolute).
    public static func load(path: String) throws(PipelineFileError) -> PipelineConfiguration {
        let absolute = PipelinePaths.absolute(PipelinePaths.expandingHome(path) ?? path)
        func failure(_ message: String) -> PipelineFileError {
            PipelineFileError(file: path, line: nil, key: "", message: message)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw failure("no such pipeline file (looked for \(absolute))")
        }
        guard !isDirectory.boolValue else {
            throw failure("is a folder; name a pipeline file such as pipelines/demo.yml")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: absolute)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxFileBytes else {
            throw failure("is \(size) bytes; a pipeline file is at most \(maxFileBytes) bytes of settings")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: absolute))
        } catch {
            throw failure("cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maxFileBytes else {
            throw failure("is \(data.count) bytes; a pipeline file is at most \(maxFileBytes) bytes of settings")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure("is not UTF-8 text; save it as UTF-8")
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses and validates pipeline YAML as if it were read from `path`, which names the file in errors and
    /// anchors relative folders (it need not exist).
    public static func parse(yaml: String, path: String) throws(PipelineFileError) -> PipelineConfiguration {
        let absolute = PipelinePaths.absolute(PipelinePaths.expandingHome(path) ?? path)
        let reader = PipelineFileReader(file: path, absoluteFile: absolute, home: PipelinePaths.homeDirectory)
        return try reader.read(yaml)
    }
}

// MARK: - Schema

/// Every key a pipeline file may hold, by section (dotted path; "" is the top level).
enum PipelineFileSchema {
    static let sections: [(path: String, keys: [String])] = [
        ("", ["name", "drop", "archive", "failed", "state", "api", "defaults", "prompt", "budget", "verify",
              "settle_seconds", "poll_seconds", "fit", "resubmit_uncertain", "poison_attempts", "notify",
              "archive_index", "stage_timeout_seconds", "deliver"]),
        ("api", ["base", "dialect", "limits", "simulator", "sync", "catalog", "workflow", "servers",
                 "provider", "providers", "route", "fallback"]),
        ("api.workflow", GenerationMode.allCases.map(\.rawValue)),
        ("api.limits", ["generations", "in_flight", "requests_per_window", "window_seconds"]),
        ("api.providers", ["provider", "base", "limits", "sync", "catalog"]),
        ("api.providers.limits", ["generations", "in_flight", "requests_per_window", "window_seconds"]),
        ("api.simulator", ["time_scale", "credits"]),
        ("defaults", ["model", "resolution", "duration", "fps"]),
        ("budget", ["per_job", "total"]),
        ("verify", ["mode", "deep", "duration_tolerance", "content"]),
        ("verify.content", ["black", "frozen", "start_image", "sound", "soundtrack"]),
        ("verify.content.black", ["max_share", "max_luma", "max_spread"]),
        ("verify.content.frozen", ["max_share"]),
        ("verify.content.start_image", ["min_ssim"]),
        ("verify.content.sound", ["min_dbfs"]),
        ("verify.content.soundtrack", ["length_tolerance", "min_correlation"]),
        ("notify", ["webhook", "on"]),
    ]

    /// The keys allowed in the section at `path`.
    static func keys(in path: String) -> [String] {
        sections.first { $0.path == path }?.keys ?? []
    }

    /// The closest allowed key to a misspelled one: in the same section first (by name), else anywhere (by path).
    static func suggestion(for key: String, in path: String) -> String? {
        let local = keys(in: path)
        if let match = closest(to: key, among: local) { return match }
        let normalized = normalize(key)
        for section in sections where section.path != path {
            if let match = section.keys.first(where: { normalize($0) == normalized }) {
                return section.path.isEmpty ? match : "\(section.path).\(match)"
            }
        }
        return nil
    }

    private static func normalize(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    private static func closest(to key: String, among candidates: [String]) -> String? {
        let normalized = normalize(key)
        if let same = candidates.first(where: { normalize($0) == normalized }) { return same }
        let limit = min(3, max(1, key.count / 3))
        let scored = candidates.map { ($0, distance(Array(key.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}

// MARK: - Reader

/// One `key: value` pair of a mapping, with the key's line.
private struct Entry {
    var key: String
    var line: Int?
    var value: Node
}

/// A mapping of the file whose keys have been checked against the schema.
private struct Section {
    /// Dotted path ("" for the top level).
    var path: String
    /// Line of the key that introduced it (nil for the top level).
    var line: Int?
    var entries: [Entry]

    func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// Walks the composed YAML tree and builds the configuration, failing at the first problem.
private struct PipelineFileReader {
    /// The file as the caller named it.
    let file: String
    /// The file's absolute, normalized path.
    let absoluteFile: String
    /// `$HOME`, for `~`.
    let home: String?

    var baseFolder: String { PipelinePaths.parent(absoluteFile) }

    func fail(_ line: Int?, _ key: String, _ message: String) -> PipelineFileError {
        PipelineFileError(file: file, line: line, key: key, message: message)
    }

    func read(_ yaml: String) throws(PipelineFileError) -> PipelineConfiguration {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, yaml: yaml)
        }
        let required = ["name", "drop", "archive", "failed", "state", "api"]
        guard let root = composed, !Self.isNull(root) else {
            throw fail(nil, "", "the file is empty; a pipeline needs at least \(required.joined(separator: ", "))")
        }
        guard case .mapping = root else {
            throw fail(root.mark?.line, "", "a pipeline file must be a mapping of keys (name: …, drop: …), got \(Self.describe(root))")
        }
        let top = try section(root, path: "", line: nil)
        for key in required where top.entry(key) == nil {
            throw fail(nil, key, "missing required key \"\(key)\"")
        }

        guard let nameEntry = top.entry("name"), let name = try text(top, "name", what: "a string") else {
            throw fail(nil, "name", "missing required key \"name\"")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(nameEntry.line, "name", "name is empty; give the pipeline a name (it is written into every bag)")
        }
        guard !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw fail(nameEntry.line, "name", "name must be a single line without control characters")
        }

        let folders = try folders(top)
        let providers = try apiSettings(top)
        let api = providers.providers[0]
        let defaults = try jobDefaults(top, catalogs: providers.providers.map(\.catalog))
        var prompt: String?
        if let value = try text(top, "prompt", what: "a string"), let entry = top.entry("prompt") {
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw fail(entry.line, "prompt", "prompt is empty; write a prompt or remove the key")
            }
            prompt = value
        }
        let budget = try budgetSettings(top)
        let verify = try verifySettings(top)
        let settle = try number(top, "settle_seconds", what: "a number of seconds ≥ 0") { $0 >= 0 } ?? 3
        let poll = try number(top, "poll_seconds", what: "a positive number of seconds") { $0 > 0 } ?? 1
        let fit = try choice(top, "fit", of: FitMode.self) ?? .auto
        let deliver = try choice(top, "deliver", of: DeliveryMode.self) ?? .rendered
        let notify = try notifySettings(top)
        let resubmit = try boolean(top, "resubmit_uncertain") ?? false
        let poison = try integer(top, "poison_attempts", what: "a whole number of attempts from 1 to 100") { (1...100).contains($0) } ?? 3
        let stageTimeout = try number(top, "stage_timeout_seconds", what: "seconds from 0.001 to 86400") { (0.001...86_400).contains($0) }

        var configuration = PipelineConfiguration(
            name: name, file: absoluteFile, drop: folders[0], archive: folders[1], failed: folders[2], state: folders[3],
            api: api, defaults: defaults, prompt: prompt, budget: budget, verify: verify,
            settleSeconds: settle, pollSeconds: poll, fit: fit, resubmitUncertain: resubmit,
            poisonAttempts: poison, notify: notify
        )
        configuration.archiveIndex = try boolean(top, "archive_index") ?? true
        configuration.deliver = deliver
        configuration.moreProviders = Array(providers.providers.dropFirst())
        configuration.route = providers.route
        configuration.fallback = providers.fallback
        if let stageTimeout { configuration.stageTimeoutSeconds = stageTimeout }
        return configuration
    }

    // MARK: Sections

    /// The four folders, resolved, distinct and none inside another.
    private func folders(_ top: Section) throws(PipelineFileError) -> [String] {
        let keys = ["drop", "archive", "failed", "state"]
        var resolved: [(key: String, line: Int?, path: String, canonical: String)] = []
        for key in keys {
            guard let entry = top.entry(key), let value = try text(top, key, what: "a folder path") else {
                throw fail(nil, key, "missing required key \"\(key)\"")
            }
            let path = try resolve(value, key: key, line: entry.line)
            resolved.append((key, entry.line, path, PipelinePaths.canonical(path)))
        }
        let rule = "drop, archive, failed and state must be four separate folders (they may share a parent)"
        for j in resolved.indices {
            for i in resolved.indices where i < j {
                let a = resolved[i], b = resolved[j]
                if a.path == b.path || a.canonical == b.canonical {
                    throw fail(b.line, b.key, "\(b.key) is the same folder as \(a.key) (\(b.path)); \(rule)")
                }
                if PipelinePaths.isInside(b.canonical, a.canonical) || PipelinePaths.isInside(b.path, a.path) {
                    throw fail(b.line, b.key, "\(b.key) (\(b.path)) is inside \(a.key) (\(a.path)); \(rule)")
                }
                if PipelinePaths.isInside(a.canonical, b.canonical) || PipelinePaths.isInside(a.path, b.path) {
                    throw fail(a.line, a.key, "\(a.key) (\(a.path)) is inside \(b.key) (\(b.path)); \(rule)")
                }
            }
        }
        return resolved.map(\.path)
    }

    /// `api`: one provider (`base` + `dialect` or `provider`), or a list under `api.providers`, with `route`,
    /// `fallback` and the in-process simulator's settings shared by all.
    private func apiSettings(_ top: Section) throws(PipelineFileError) -> (providers: [PipelineConfiguration.API], route: ProviderRoute, fallback: Bool) {
        guard let entry = top.entry("api") else { throw fail(nil, "api", "missing required key \"api\"") }
        let api = try section(entry.value, path: "api", line: entry.line)
        var simulator = PipelineConfiguration.SimulatorSettings()
        if let simulatorEntry = api.entry("simulator") {
            let section = try section(simulatorEntry.value, path: "api.simulator", line: simulatorEntry.line)
            simulator.timeScale = try number(section, "time_scale", what: "a positive number") { $0 > 0 } ?? simulator.timeScale
            simulator.credits = try number(section, "credits", what: "a number ≥ 0 (USD)") { $0 >= 0 } ?? simulator.credits
        }
        let route = try choice(api, "route", of: ProviderRoute.self) ?? .order
        let fallback = try boolean(api, "fallback") ?? false
        guard let listEntry = api.entry("providers") else {
            return ([try provider(api, path: "api", simulator: simulator)], route, fallback)
        }
        for key in ["base", "dialect", "provider", "limits", "sync", "catalog"] {
            if let given = api.entry(key) {
                throw fail(given.line, "api.\(key)", "api.\(key) cannot stand beside api.providers; give \(key) under each provider")
            }
        }
        guard case .sequence(let items) = listEntry.value, !items.isEmpty else {
            throw fail(listEntry.line, "api.providers", "api.providers must be a list of providers such as [{ provider: fal }, { provider: ltx-v2 }], got \(Self.describe(listEntry.value))")
        }
        var providers: [PipelineConfiguration.API] = []
        for item in items {
            let line = item.mark?.line ?? listEntry.line
            let one = try provider(try section(item, path: "api.providers", line: line), path: "api.providers", simulator: simulator)
            if providers.contains(where: { $0.dialect == one.dialect }) {
                throw fail(line, "api.providers", "api.providers names \(one.dialect.rawValue) twice; list each provider once")
            }
            providers.append(one)
        }
        return (providers, route, fallback)
    }

    /// One provider's settings from the mapping at `path` (`api`, or an item of `api.providers`).
    private func provider(_ api: Section, path: String, simulator: PipelineConfiguration.SimulatorSettings) throws(PipelineFileError) -> PipelineConfiguration.API {
        var dialect = DialectName.generations
        let names = PipelineFile.dialects.joined(separator: ", ")
        if api.entry("dialect") != nil, let other = api.entry("provider") {
            throw fail(other.line, "\(path).provider", "\(path).provider and \(path).dialect name the same thing; keep one")
        }
        let key = api.entry("provider") != nil ? "provider" : "dialect"
        if let value = try text(api, key, what: "a provider name"), let dialectEntry = api.entry(key) {
            guard let named = DialectName(rawValue: value == "ltx" ? DialectName.ltxV2.rawValue : value) else {
                throw fail(dialectEntry.line, "\(path).\(key)", "\(path).\(key) must be one of \(names), got \(Self.describe(dialectEntry.value))")
            }
            dialect = named
        } else if path != "api" {
            throw fail(api.line, "\(path).provider", "each entry of api.providers needs provider: one of \(names)")
        }
        let base: String
        if let baseEntry = api.entry("base"), let given = try text(api, "base", what: "\"simulator\" or an http(s) URL") {
            try checkBase(given, dialect: dialect, line: baseEntry.line, shown: Self.describe(baseEntry.value), key: "\(path).base")
            base = given
        } else if path != "api" {
            base = dialect.defaultBase
        } else {
            throw fail(api.line, "api.base", "missing required key \"api.base\" (\"simulator\" or the API's http(s) URL)")
        }

        var limits = RateGovernor.Limits.standard
        limits.generations = dialect.defaultConcurrentGenerations
        if let limitsEntry = api.entry("limits") {
            let section = try section(limitsEntry.value, path: "\(path).limits", line: limitsEntry.line)
            limits.generations = try integer(section, "generations", what: "a positive integer (generations the account runs at once)") { $0 > 0 }
                ?? limits.generations
            limits.inFlight = try integer(section, "in_flight", what: "a positive integer") { $0 > 0 } ?? limits.inFlight
            limits.requestsPerWindow = try integer(section, "requests_per_window", what: "a positive integer") { $0 > 0 }
                ?? limits.requestsPerWindow
            limits.windowSeconds = try number(section, "window_seconds", what: "a positive number of seconds") { $0 > 0 }
                ?? limits.windowSeconds
        }
        let sync = try boolean(api, "sync") ?? false
        if sync && !dialect.capabilities.syncEndpoint, let syncEntry = api.entry("sync") {
            throw fail(syncEntry.line, "\(path).sync", "\(path).sync needs \(path == "api" ? "api.dialect: " : "provider: ")ltx-v2 (the \(dialect.rawValue) protocol has no sync endpoint)")
        }
        var catalogFile: String? = nil
        let catalog: Catalog
        if let value = try text(api, "catalog", what: "the path of a catalog override file"), let entry = api.entry("catalog") {
            catalogFile = try resolve(value, key: "\(path).catalog", line: entry.line)
        }
        do { catalog = try dialect.loadCatalog(overrides: catalogFile) } catch {
            throw fail(api.entry("catalog")?.line ?? api.line, "\(path).catalog", "the catalog does not load: \(error.description)")
        }
        var settings = PipelineConfiguration.API(base: base, dialect: dialect, limits: limits, simulator: simulator, sync: sync,
                                                 catalogFile: catalogFile, catalog: catalog)
        settings.workflows = try workflows(api, dialect: dialect)
        settings.servers = try servers(api, dialect: dialect)
        if !settings.servers.isEmpty, api.entry("limits").flatMap({ try? section($0.value, path: "api.limits", line: $0.line) })?.entry("generations") == nil {
            // Two prompts per server by default: one rendering, the next ready behind it.
            settings.limits.generations = 2 * settings.servers.count
        }
        return settings
    }

    /// `api.servers: [http://gpu1:8188, http://gpu2:8188]` (comfyui): a pool of ComfyUI servers.
    private func servers(_ api: Section, dialect: DialectName) throws(PipelineFileError) -> [String] {
        guard let entry = api.entry("servers") else { return [] }
        guard dialect == .comfyui else { throw fail(entry.line, "api.servers", "api.servers is for api.dialect: comfyui only") }
        guard case .sequence(let sequence) = entry.value, !sequence.isEmpty else {
            throw fail(entry.line, "api.servers", "api.servers must be a list of ComfyUI URLs such as [http://gpu1:8188, http://gpu2:8188], got \(Self.describe(entry.value))")
        }
        var servers: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, let url = URL(string: scalar.string), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty, !host.contains(":"), url.query == nil else {
                throw fail(item.mark?.line ?? entry.line, "api.servers", "api.servers: \(Self.describe(item)) is not an http(s) URL with a host name or IPv4 address")
            }
            let key = ComfyUIDialect.serverKey(url)
            guard !servers.contains(where: { URL(string: $0).map(ComfyUIDialect.serverKey) == key }) else {
                throw fail(item.mark?.line ?? entry.line, "api.servers", "api.servers lists \(key) twice")
            }
            servers.append(scalar.string)
        }
        return servers
    }

    /// `api.workflow: { text-to-video: FILE, image-to-video: FILE }` (comfyui): each an API-format workflow with its
    /// `.bindings.json` beside it, loaded and checked now.
    private func workflows(_ api: Section, dialect: DialectName) throws(PipelineFileError) -> [GenerationMode: ComfyUIWorkflow] {
        guard let entry = api.entry("workflow") else {
            if dialect == .comfyui { throw fail(api.line, "api.workflow", "api.dialect: comfyui needs api.workflow: { text-to-video: FILE, image-to-video: FILE } (API-format workflows)") }
            return [:]
        }
        guard dialect == .comfyui else { throw fail(entry.line, "api.workflow", "api.workflow is for api.dialect: comfyui only") }
        let section = try section(entry.value, path: "api.workflow", line: entry.line)
        var workflows: [GenerationMode: ComfyUIWorkflow] = [:]
        for modeEntry in section.entries {
            guard let mode = GenerationMode(rawValue: modeEntry.key), let value = try text(section, modeEntry.key, what: "the path of an API-format workflow JSON file") else { continue }
            let key = "api.workflow.\(modeEntry.key)"
            let path = try resolve(value, key: key, line: modeEntry.line)
            let workflow: ComfyUIWorkflow
            do { workflow = try ComfyUIWorkflow.load(path) } catch { throw fail(modeEntry.line, key, error.description) }
            if mode == .imageToVideo && workflow.bindings[.image] == nil {
                throw fail(modeEntry.line, key, "\(workflow.bindingsFile): image: missing; an image-to-video workflow must bind the start image")
            }
            if mode == .audioToVideo && workflow.bindings[.audio] == nil {
                throw fail(modeEntry.line, key, "\(workflow.bindingsFile): audio: missing; an audio-to-video workflow must bind the soundtrack")
            }
            workflows[mode] = workflow
        }
        return workflows
    }

    private func checkBase(_ base: String, dialect: DialectName, line: Int?, shown: String, key: String = "api.base") throws(PipelineFileError) {
        if base == "simulator" { return }
        guard let url = URLComponents(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw fail(line, key, "\(key) must be \"simulator\" or an http(s) URL such as https://api.ltx.video/v1, got \(shown)")
        }
        guard url.user == nil, url.password == nil else {
            throw fail(line, key, "\(key) must not contain a user name or password; the API key is read from \(dialect.keyVariable)")
        }
        guard url.query == nil, url.fragment == nil else {
            throw fail(line, key, "\(key) must be a base URL without ?query or #fragment, got \(shown)")
        }
    }

    /// The job defaults, which at least one provider's catalog must accept (the first one's refusal is reported).
    private func jobDefaults(_ top: Section, catalogs: [Catalog]) throws(PipelineFileError) -> PipelineConfiguration.Defaults {
        guard let entry = top.entry("defaults") else { return PipelineConfiguration.Defaults() }
        let section = try section(entry.value, path: "defaults", line: entry.line)
        var defaults = PipelineConfiguration.Defaults()
        defaults.model = try text(section, "model", what: "a model name")
        if let value = try text(section, "resolution", what: "a WIDTHxHEIGHT resolution"), let resolutionEntry = section.entry("resolution") {
            guard let resolution = Resolution(parsing: value) else {
                throw fail(resolutionEntry.line, "defaults.resolution",
                           "defaults.resolution must be WIDTHxHEIGHT such as 1920x1080, got \(Self.describe(resolutionEntry.value))")
            }
            defaults.resolution = resolution
        }
        if let entry = section.entry("duration"), case .scalar(let scalar) = entry.value, Self.isPlain(scalar),
           scalar.string.lowercased() == "auto" {
            defaults.duration = .auto
        } else {
            defaults.duration = try integer(section, "duration", what: "a whole number of seconds or auto") { $0 > 0 }.map(DurationChoice.seconds)
        }
        defaults.fps = try integer(section, "fps", what: "a whole number of frames per second") { _ in true }

        let refusals = catalogs.map { catalog in
            RequestValidator(catalog: catalog).violations(GenerationParameters(
                mode: .textToVideo, prompt: "x", model: defaults.model, resolution: defaults.resolution,
                choice: defaults.duration, fps: defaults.fps, catalog: catalog
            ))
        }
        if !refusals.contains(where: \.isEmpty), let violation = refusals.first?.first {
            if let given = section.entry(violation.parameter) {
                let key = section.keyPath(violation.parameter)
                throw fail(given.line, key, "\(key): \(violation.message)")
            }
            throw fail(section.line, "defaults", "defaults: \(violation.message)")
        }
        return defaults
    }

    private func budgetSettings(_ top: Section) throws(PipelineFileError) -> PipelineConfiguration.Budget {
        guard let entry = top.entry("budget") else { return PipelineConfiguration.Budget() }
        let section = try section(entry.value, path: "budget", line: entry.line)
        return PipelineConfiguration.Budget(
            perJob: try number(section, "per_job", what: "a number ≥ 0 (USD)") { $0 >= 0 },
            total: try number(section, "total", what: "a number ≥ 0 (USD)") { $0 >= 0 }
        )
    }

    private func verifySettings(_ top: Section) throws(PipelineFileError) -> PipelineConfiguration.Verify {
        guard let entry = top.entry("verify") else { return PipelineConfiguration.Verify() }
        let section = try section(entry.value, path: "verify", line: entry.line)
        var verify = PipelineConfiguration.Verify()
        let modeEntry = section.entry("mode")
        if let mode = try text(section, "mode", what: "deep, sampled or quick") {
            guard let parsed = VerificationMode(rawValue: mode) else {
                throw fail(modeEntry?.line, "verify.mode", "verify.mode must be deep, sampled or quick, got \(Self.quoted(mode))")
            }
            verify.mode = parsed
        }
        if let deep = try boolean(section, "deep") {
            let implied: VerificationMode = deep ? .deep : .quick
            if modeEntry != nil && verify.mode != implied {
                throw fail(section.entry("deep")?.line, "verify.deep", "verify.deep: \(deep) contradicts verify.mode: \(verify.mode.rawValue); keep verify.mode")
            }
            verify.mode = implied
        }
        verify.durationTolerance = try number(section, "duration_tolerance", what: "a number of seconds ≥ 0") { $0 >= 0 }
            ?? verify.durationTolerance
        if let entry = section.entry("content") {
            verify.content = try contentThresholds(entry)
        }
        return verify
    }

    /// `verify.content`: `false`/`off` turns the content checks off, `true` or a mapping of limits turns them on.
    private func contentThresholds(_ entry: Entry) throws(PipelineFileError) -> ContentThresholds? {
        if case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let on = Self.parseBool(scalar.string) {
            return on ? ContentThresholds() : nil
        }
        let content = try section(entry.value, path: "verify.content", line: entry.line)
        var limits = ContentThresholds()
        func part(_ key: String) throws(PipelineFileError) -> Section? {
            guard let e = content.entry(key) else { return nil }
            return try section(e.value, path: "verify.content.\(key)", line: e.line)
        }
        let share = "a share between 0 and 1"
        if let black = try part("black") {
            limits.black.maxShare = try number(black, "max_share", what: share) { (0...1).contains($0) } ?? limits.black.maxShare
            limits.black.maxLuma = try number(black, "max_luma", what: "a luma level between 0 and 255") { (0...255).contains($0) } ?? limits.black.maxLuma
            limits.black.maxSpread = try number(black, "max_spread", what: "a luma spread between 0 and 128") { (0...128).contains($0) } ?? limits.black.maxSpread
        }
        if let frozen = try part("frozen") {
            limits.frozen.maxShare = try number(frozen, "max_share", what: share) { (0...1).contains($0) } ?? limits.frozen.maxShare
        }
        if let start = try part("start_image") {
            limits.startImage.minSimilarity = try number(start, "min_ssim", what: "an SSIM between -1 and 1") { (-1...1).contains($0) }
                ?? limits.startImage.minSimilarity
        }
        if let sound = try part("sound") {
            limits.sound.minLevel = try number(sound, "min_dbfs", what: "a level in dBFS between -150 and 0") { (-150...0).contains($0) }
                ?? limits.sound.minLevel
        }
        if let track = try part("soundtrack") {
            limits.soundtrack.lengthTolerance = try number(track, "length_tolerance", what: "a number of seconds ≥ 0") { $0 >= 0 && $0 <= 3600 }
                ?? limits.soundtrack.lengthTolerance
            limits.soundtrack.minCorrelation = try number(track, "min_correlation", what: "a correlation between -1 and 1") { (-1...1).contains($0) }
                ?? limits.soundtrack.minCorrelation
        }
        return limits
    }

    /// `notify: { webhook: URL, on: [archived, failed, held] }`; `on` defaults to every event.
    private func notifySettings(_ top: Section) throws(PipelineFileError) -> PipelineConfiguration.Notify? {
        guard let entry = top.entry("notify") else { return nil }
        let section = try section(entry.value, path: "notify", line: entry.line)
        guard let webhookEntry = section.entry("webhook"), let webhook = try text(section, "webhook", what: "an http(s) URL") else {
            throw fail(entry.line, "notify.webhook", "notify needs webhook: the http(s) URL each event is posted to")
        }
        guard let url = URLComponents(string: webhook), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, URL(string: webhook) != nil else {
            throw fail(webhookEntry.line, "notify.webhook", "notify.webhook must be an http(s) URL such as https://hooks.example.com/ltxpipe, got \(Self.describe(webhookEntry.value))")
        }
        let names = NotifyEvent.allCases.map(\.rawValue).joined(separator: ", ")
        guard let onEntry = section.entry("on") else {
            return PipelineConfiguration.Notify(webhook: webhook, events: NotifyEvent.allCases)
        }
        guard case .sequence(let sequence) = onEntry.value else {
            throw fail(onEntry.line, "notify.on", "notify.on must be a list of events such as [\(names)], got \(Self.describe(onEntry.value))")
        }
        var events: [NotifyEvent] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, let event = NotifyEvent(rawValue: scalar.string) else {
                throw fail(item.mark?.line ?? onEntry.line, "notify.on", "notify.on: \(Self.describe(item)) is not an event; use \(names)")
            }
            if !events.contains(event) { events.append(event) }
        }
        guard !events.isEmpty else {
            throw fail(onEntry.line, "notify.on", "notify.on lists no events; name some of \(names) or remove notify")
        }
        return PipelineConfiguration.Notify(webhook: webhook, events: events)
    }

    // MARK: Mappings and values

    /// Checks a mapping's keys against the schema (unknown, duplicate, non-scalar keys are errors).
    private func section(_ node: Node, path: String, line: Int?) throws(PipelineFileError) -> Section {
        if Self.isNull(node) { return Section(path: path, line: line, entries: []) }
        guard case .mapping(let mapping) = node else {
            let keys = PipelineFileSchema.keys(in: path).joined(separator: ", ")
            throw fail(line ?? node.mark?.line, path, "\(path) must be a mapping of \(keys), got \(Self.describe(node))")
        }
        let allowed = PipelineFileSchema.keys(in: path)
        var entries: [Entry] = []
        for (keyNode, value) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard case .scalar(let scalar) = keyNode else {
                throw fail(keyLine, path, "keys must be plain names, got \(Self.describe(keyNode))\(path.isEmpty ? "" : " in \(path)")")
            }
            let key = scalar.string
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if let first = entries.first(where: { $0.key == key }) {
                let firstLine = first.line.map { " (first on line \($0))" } ?? ""
                throw fail(keyLine, keyPath, "duplicate key \"\(keyPath)\"\(firstLine); keep one")
            }
            guard allowed.contains(key) else {
                let place = path.isEmpty ? "" : " in \(path)"
                if let suggestion = PipelineFileSchema.suggestion(for: key, in: path) {
                    throw fail(keyLine, keyPath, "unknown key \"\(key)\"\(place) (did you mean \"\(suggestion)\"?)")
                }
                throw fail(keyLine, keyPath, "unknown key \"\(key)\"\(place); allowed: \(allowed.joined(separator: ", "))")
            }
            entries.append(Entry(key: key, line: keyLine, value: value))
        }
        return Section(path: path, line: line, entries: entries)
    }

    /// A scalar's text, or nil when the key is absent.
    private func text(_ section: Section, _ key: String, what: String) throws(PipelineFileError) -> String? {
        guard let entry = section.entry(key) else { return nil }
        guard case .scalar(let scalar) = entry.value, !Self.isNull(entry.value) else {
            throw typeError(section, entry, what)
        }
        return scalar.string
    }

    /// One of `Choice`'s raw values, or nil when the key is absent.
    private func choice<Choice: CaseIterable & RawRepresentable>(_ section: Section, _ key: String, of _: Choice.Type)
        throws(PipelineFileError) -> Choice? where Choice.RawValue == String {
        let names = "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value = try text(section, key, what: names), let entry = section.entry(key) else { return nil }
        guard let chosen = Choice(rawValue: value) else { throw typeError(section, entry, names) }
        return chosen
    }

    /// A decimal integer satisfying `valid`, or nil when the key is absent.
    private func integer(_ section: Section, _ key: String, what: String, _ valid: (Int) -> Bool) throws(PipelineFileError) -> Int? {
        guard let entry = section.entry(key) else { return nil }
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let value = Self.parseInteger(scalar.string), valid(value) else {
            throw typeError(section, entry, what)
        }
        return value
    }

    /// A finite number satisfying `valid`, or nil when the key is absent.
    private func number(_ section: Section, _ key: String, what: String, _ valid: (Double) -> Bool) throws(PipelineFileError) -> Double? {
        guard let entry = section.entry(key) else { return nil }
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let value = Self.parseNumber(scalar.string), valid(value) else {
            throw typeError(section, entry, what)
        }
        return value
    }

    /// `true`/`false` (also `yes`/`no`, `on`/`off`, unquoted), or nil when the key is absent.
    private func boolean(_ section: Section, _ key: String) throws(PipelineFileError) -> Bool? {
        guard let entry = section.entry(key) else { return nil }
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let value = Self.parseBool(scalar.string) else {
            throw typeError(section, entry, "true or false")
        }
        return value
    }

    private func typeError(_ section: Section, _ entry: Entry, _ what: String) -> PipelineFileError {
        let key = section.keyPath(entry.key)
        return fail(entry.line, key, "\(key) must be \(what), got \(Self.describe(entry.value))")
    }

    /// An absolute, normalized folder path: `~` expanded, relative paths anchored at the pipeline file's folder.
    private func resolve(_ value: String, key: String, line: Int?) throws(PipelineFileError) -> String {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(line, key, "\(key) must be a folder path, got an empty string")
        }
        guard !value.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw fail(line, key, "\(key) must be a folder path without control characters, got \(Self.quoted(value))")
        }
        if value == "~" || value.hasPrefix("~/") {
            guard let home else {
                throw fail(line, key, "\(key) starts with ~ but HOME is not set; write an absolute path")
            }
            return PipelinePaths.normalize(home + "/" + value.dropFirst())
        }
        if value.hasPrefix("~") {
            throw fail(line, key, "\(key): ~user paths are not supported, got \(Self.quoted(value)); write ~/… for your own home folder or an absolute path")
        }
        if value.hasPrefix("/") { return PipelinePaths.normalize(value) }
        return PipelinePaths.normalize(baseFolder + "/" + value)
    }

    // MARK: Scalars

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, isPlain(scalar) else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func isPlain(_ scalar: Node.Scalar) -> Bool { scalar.style == .plain || scalar.style == .any }

    static func parseInteger(_ text: String) -> Int? {
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let first = digits.first, first.isNumber || first == "-" || first == "+",
              digits.dropFirst(first.isNumber ? 0 : 1).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    static func parseNumber(_ text: String) -> Double? {
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard !digits.isEmpty, digits.contains(where: { $0.isASCII && $0.isNumber }),
              digits.allSatisfy({ ($0.isASCII && $0.isNumber) || ".eE+-".contains($0) }),
              let value = Double(digits), value.isFinite else { return nil }
        return value
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A value as the user wrote it, for "got …": numbers and booleans bare, other text quoted.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            if isPlain(scalar), parseNumber(scalar.string) != nil || parseBool(scalar.string) != nil { return scalar.string }
            return quoted(scalar.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// `"text"` on one line, shortened when long.
    static func quoted(_ text: String) -> String {
        var shown = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\t", with: "\\t")
        if shown.count > 60 { shown = String(shown.prefix(57)) + "…" }
        return "\"\(shown)\""
    }

    // MARK: YAML errors

    /// Yams' error as one line at its line.
    private func syntaxError(_ error: any Error, yaml: String) -> PipelineFileError {
        guard let error = error as? YamlError else {
            return fail(nil, "", "cannot be read as YAML: \(error)")
        }
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> PipelineFileError {
            if problem == "but found another document" {
                return fail(mark.line, "", "invalid YAML: a pipeline file holds one document; remove this second one (from its ---)")
            }
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line))"
            }
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                message += "; indent with spaces, not tabs"
            }
            return fail(mark.line, "", message)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return located(context, problem, mark)
        case let .reader(problem, offset, _, _):
            let line = offset.map { offset in yaml.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return fail(line, "", "invalid text: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return fail(context.mark.line, duplicates.first ?? "", "duplicate key \(keys) (first given on this line); keep one")
        default:
            return fail(nil, "", "invalid YAML: \(error)")
        }
    }
}

// MARK: - Paths

/// Lexical path handling for pipeline folders (folders need not exist yet).
enum PipelinePaths {
    /// `$HOME`, else the user's home folder as Foundation knows it; nil when neither is known.
    static var homeDirectory: String? {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        let fallback = NSHomeDirectory()
        return fallback.isEmpty ? nil : fallback
    }

    /// `~` and `~/…` expanded to `$HOME`; nil when `path` does not start so or HOME is unknown.
    static func expandingHome(_ path: String) -> String? {
        guard path == "~" || path.hasPrefix("~/"), let home = homeDirectory else { return nil }
        return home + "/" + path.dropFirst()
    }

    /// `path` made absolute against the working directory, and normalized.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        return normalize(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// An absolute path with `.`, `..`, repeated and trailing slashes removed (without touching the file system).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folder holding `path` (an absolute, normalized path).
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// True when `path` lies strictly below `folder` (both absolute and normalized).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        if folder == "/" { return path != "/" }
        return path.hasPrefix(folder + "/")
    }

    /// The real path of an existing item (every symbolic link on the way resolved); nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` with symbolic links resolved in its deepest existing ancestor, so two spellings of one folder compare equal.
    static func canonical(_ path: String) -> String {
        var head = path
        var tail: [String] = []
        while true {
            if let resolved = realPath(head) {
                return normalize(([resolved] + tail).joined(separator: "/"))
            }
            if head == "/" { return path }
            tail.insert(String(head[head.index(after: head.lastIndex(of: "/") ?? head.startIndex)...]), at: 0)
            head = parent(head)
        }
    }
}
