import Foundation
import Yams

/// Reads catalog files (`catalogs/<dialect>.yml`) and override files into a checked `Catalog`.
///
/// Every key is checked: unknown keys, values of the wrong type and references to models that do not exist are
/// errors naming the file, the line and the key, so a typo never silently does nothing.
public enum CatalogFile {
    /// Largest catalog or override file read, in bytes.
    public static let maxFileBytes = 1_000_000

    /// Keys of one model in a catalog file.
    static let modelKeys = ["status", "replaced_by", "removed_on", "modes", "resolutions", "fps", "durations", "duration_rules",
                            "auto_duration", "latency", "last_frame", "prices", "audio_price", "model_ids"]
    /// Keys of one model in an override file: the catalog's plus `like` (copy another model) and `removed`.
    static let overrideModelKeys = ["like", "removed"] + modelKeys
    /// Price tiers (the frame's short side).
    public static let tiers = ["720p", "1080p", "1440p", "2160p"]
    /// Request fields a catalog may list under `optional_fields`.
    static let knownOptionalFields = ["generate_audio", "camera_motion", "guidance_scale", "last_frame_uri"]

    /// Reads and checks the catalog file at `path` (named as given in errors).
    public static func load(path: String) throws(CatalogError) -> Catalog {
        try parse(yaml: read(path: path), file: path)
    }

    /// Parses and checks catalog YAML as if read from `file`.
    public static func parse(yaml: String, file: String) throws(CatalogError) -> Catalog {
        let reader = CatalogReader(file: file)
        var catalog = try reader.catalog(yaml)
        catalog.source = file
        try catalog.check()
        return catalog
    }

    /// `base` with the override file at `path` merged over it by model name, checked again.
    public static func applyingOverrides(path: String, to base: Catalog) throws(CatalogError) -> Catalog {
        try applyingOverrides(yaml: read(path: path), file: path, to: base)
    }

    /// `base` with override YAML (as if read from `file`) merged over it by model name, checked again.
    public static func applyingOverrides(yaml: String, file: String, to base: Catalog) throws(CatalogError) -> Catalog {
        var catalog = try CatalogReader(file: file).overrides(yaml, over: base)
        catalog.source = "\(base.source) + \(file)"
        try catalog.check()
        return catalog
    }

    /// True for a model name or path, `name` or `owner/app[/more]`: segments of letters, digits and `._-`, none `.` or
    /// `..` (APIFree names a model by one word; fal and Replicate by a path).
    static func isModelPath(_ text: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, text.utf8.count <= 200 else { return false }
        return segments.allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".."
                && segment.utf8.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == 0x2D || byte == 0x5F || byte == 0x2E
                }
        }
    }

    /// The text of a catalog or override file, refused when missing, a folder, too large or not UTF-8.
    static func read(path: String) throws(CatalogError) -> String {
        func failure(_ message: String) -> CatalogError { CatalogError(file: path, message: message) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw failure("no such catalog file")
        }
        guard !isDirectory.boolValue else { throw failure("is a folder; name a catalog file such as catalogs/ltx-v2.yml") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure("cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maxFileBytes else {
            throw failure("is \(data.count) bytes; a catalog is at most \(maxFileBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw failure("is not UTF-8 text; save it as UTF-8") }
        return text
    }
}

// MARK: - Checks after reading or merging

extension Catalog {
    /// Cross-checks what single keys cannot: references between models, defaults, mode rules.
    func check() throws(CatalogError) {
        func fail(_ place: String, _ key: String, _ message: String) -> CatalogError {
            let location = locations[place] ?? CatalogLocation(file: source, line: nil)
            return CatalogError(file: location.file, line: location.line, key: key, message: message)
        }
        guard let defaultModel = model(defaults.model) else {
            throw fail("defaults", "defaults.model", "default model \(defaults.model) is not in the catalog")
        }
        guard defaultModel.status != .removed else {
            throw fail("models.\(defaults.model)", "defaults.model", "default model \(defaults.model) is removed; choose \(replacement(for: defaults.model) ?? "a current model")")
        }
        guard defaultModel.resolutions.contains(defaults.resolution) else {
            throw fail("defaults", "defaults.resolution", "default resolution \(defaults.resolution) is not one \(defaults.model) offers")
        }
        guard defaultModel.fps.contains(defaults.fps) else {
            throw fail("defaults", "defaults.fps", "default fps \(defaults.fps) is not one \(defaults.model) offers")
        }
        for model in models {
            let place = "models.\(model.name)"
            if let replacement = model.replacedBy, self.model(replacement) == nil {
                throw fail(place, "\(place).replaced_by", "replaced_by names \(replacement), which is not in the catalog")
            }
            guard model.status != .removed else { continue }
            let required: [(String, Bool)] = [("modes", model.modes.isEmpty), ("resolutions", model.resolutions.isEmpty),
                                              ("fps", model.fps.isEmpty), ("durations", model.durations.isEmpty && !model.autoDuration),
                                              ("latency", model.latencyHigh <= 0)]
            if let missing = required.first(where: \.1) {
                throw fail(place, "\(place).\(missing.0)", "a \(model.status.rawValue) model needs \(missing.0)")
            }
            if models.contains(where: { !$0.modelIDs.isEmpty }), let mode = model.modes.first(where: { model.modelIDs[$0] == nil }) {
                throw fail(place, "\(place).model_ids", "\(model.name) offers \(mode.rawValue) but model_ids names no model for it")
            }
            if let sizes, let size = model.resolutions.first(where: { sizes[$0] == nil }) {
                throw fail(place, "\(place).resolutions", "\(size) is not one of the sizes this catalog names (sizes: \(sizes.keys.map(\.description).sorted().joined(separator: ", ")))")
            }
        }
        for rule in modeRules {
            for name in rule.models ?? [] where model(name) == nil {
                let place = "modes.\(rule.mode.rawValue)"
                throw fail(place, "\(place).models", "\(name) is not in the catalog")
            }
        }
    }
}

// MARK: - Reader

/// One `key: value` pair of a mapping, with its dotted path and the key's line.
private struct CatalogEntry {
    var key: String
    var path: String
    var line: Int?
    var value: Node
}

/// Walks a composed YAML tree, failing at the first problem with `file:line: key: message`.
private struct CatalogReader {
    let file: String

    func fail(_ line: Int?, _ key: String, _ message: String) -> CatalogError {
        CatalogError(file: file, line: line, key: key, message: message)
    }

    func location(_ line: Int?) -> CatalogLocation { CatalogLocation(file: file, line: line) }

    // MARK: Whole files

    func catalog(_ yaml: String) throws(CatalogError) -> Catalog {
        let top = try entries(root(yaml), path: "", line: nil, allowed: [
            "dialect", "defaults", "models", "modes", "prompt_max_characters", "camera_motions", "seed", "optional_fields", "inputs", "sizes",
            "renders", "local",
        ])
        func required(_ key: String) throws(CatalogError) -> CatalogEntry {
            guard let entry = top.first(where: { $0.key == key }) else { throw fail(nil, key, "missing required key \"\(key)\"") }
            return entry
        }
        let dialect = try string(required("dialect"))
        let defaultsEntry = try required("defaults")
        let defaults = try self.defaults(defaultsEntry)
        let inputs = try self.inputs(required("inputs"))
        var catalog = Catalog(dialect: dialect, source: file, defaults: defaults, models: [], modeRules: [], inputs: inputs)
        catalog.locations["defaults"] = location(defaultsEntry.line)
        let modelsEntry = try required("models")
        for entry in try entries(modelsEntry.value, path: "models", line: modelsEntry.line, allowed: nil) {
            var model = Catalog.Model(name: entry.key)
            try apply(entry, to: &model, allowed: CatalogFile.modelKeys, catalog: catalog)
            catalog.models.append(model)
            catalog.locations[entry.path] = location(entry.line)
        }
        for entry in top {
            switch entry.key {
            case "modes":
                for modeEntry in try entries(entry.value, path: "modes", line: entry.line, allowed: GenerationMode.allCases.map(\.rawValue)) {
                    catalog.modeRules.append(try modeRule(modeEntry))
                    catalog.locations[modeEntry.path] = location(modeEntry.line)
                }
            case "prompt_max_characters":
                catalog.promptMaxCharacters = try integer(entry, what: "a positive number of characters") { $0 > 0 }
            case "camera_motions":
                catalog.cameraMotions = try list(entry).map { node, line throws(CatalogError) in try scalar(node, entry.path, line) }
            case "seed":
                catalog.supportsSeed = try boolean(entry)
            case "sizes":
                catalog.sizes = try sizes(entry)
                catalog.locations["sizes"] = location(entry.line)
            case "renders":
                catalog.renders = try renders(entry)
            case "local":
                catalog.local = try boolean(entry)
            case "optional_fields":
                catalog.optionalFields = try list(entry).map { node, line throws(CatalogError) in
                    let name = try scalar(node, entry.path, line)
                    guard CatalogFile.knownOptionalFields.contains(name) else {
                        throw fail(line, entry.path, "\(name) is not one of \(CatalogFile.knownOptionalFields.joined(separator: ", "))")
                    }
                    return name
                }
            default:
                break
            }
        }
        return catalog
    }

    func overrides(_ yaml: String, over base: Catalog) throws(CatalogError) -> Catalog {
        var catalog = base
        let top = try entries(root(yaml), path: "", line: nil, allowed: ["models", "sizes"])
        for sizesEntry in top where sizesEntry.key == "sizes" {
            guard catalog.sizes != nil else {
                throw fail(sizesEntry.line, "sizes", "the \(catalog.dialect) catalog takes sizes as WIDTHxHEIGHT; it has no sizes table to change")
            }
            catalog.sizes?.merge(try sizes(sizesEntry)) { _, new in new }
            catalog.locations["sizes"] = location(sizesEntry.line)
        }
        for modelsEntry in top where modelsEntry.key == "models" {
            for entry in try entries(modelsEntry.value, path: "models", line: modelsEntry.line, allowed: nil) {
                let fields = try entries(entry.value, path: entry.path, line: entry.line, allowed: CatalogFile.overrideModelKeys)
                var model: Catalog.Model
                if let like = fields.first(where: { $0.key == "like" }) {
                    let name = try string(like)
                    guard var copy = catalog.model(name) else {
                        throw fail(like.line, like.path, "\(name) is not in the catalog; known models: \(catalog.models.map(\.name).joined(separator: ", "))")
                    }
                    copy.name = entry.key
                    copy.durationRules = copy.durationRules.map { rule in
                        var renamed = rule
                        renamed.note = rule.note.replacingOccurrences(of: name, with: entry.key)
                        return renamed
                    }
                    copy.status = .current
                    copy.replacedBy = nil
                    copy.removedOn = nil
                    model = copy
                    for index in catalog.modeRules.indices {
                        if let models = catalog.modeRules[index].models, models.contains(name), !models.contains(entry.key) {
                            catalog.modeRules[index].models = models + [entry.key]
                        }
                    }
                } else if let existing = catalog.model(entry.key) {
                    model = existing
                } else {
                    let known = catalog.models.map(\.name).joined(separator: ", ")
                    throw fail(entry.line, entry.path, "unknown model \(entry.key); known models: \(known) (a new model starts with like: NAME)")
                }
                try apply(entry, to: &model, allowed: CatalogFile.overrideModelKeys, catalog: catalog)
                if let index = catalog.models.firstIndex(where: { $0.name == entry.key }) {
                    catalog.models[index] = model
                } else {
                    catalog.models.append(model)
                }
                catalog.locations[entry.path] = location(entry.line)
            }
        }
        return catalog
    }

    // MARK: Sections

    func defaults(_ entry: CatalogEntry) throws(CatalogError) -> Catalog.Defaults {
        let fields = try entries(entry.value, path: entry.path, line: entry.line, allowed: ["model", "resolution", "duration", "fps"])
        func required(_ key: String) throws(CatalogError) -> CatalogEntry {
            guard let field = fields.first(where: { $0.key == key }) else {
                throw fail(entry.line, "defaults.\(key)", "missing required key \"defaults.\(key)\"")
            }
            return field
        }
        return Catalog.Defaults(
            model: try string(required("model")),
            resolution: try resolution(required("resolution")),
            duration: try integer(required("duration"), what: "a positive whole number of seconds") { $0 > 0 },
            fps: try integer(required("fps"), what: "a positive whole number of frames per second") { $0 > 0 }
        )
    }

    /// Sets every field `entry` (one model's mapping) gives; fields it leaves out keep their value.
    func apply(_ entry: CatalogEntry, to model: inout Catalog.Model, allowed: [String], catalog: Catalog) throws(CatalogError) {
        for field in try entries(entry.value, path: entry.path, line: entry.line, allowed: allowed) {
            switch field.key {
            case "like":
                break
            case "removed":
                let removed = try boolean(field)
                model.status = removed ? .removed : (model.status == .removed ? .current : model.status)
            case "status":
                let text = try string(field)
                guard let status = Catalog.ModelStatus(rawValue: text) else {
                    throw fail(field.line, field.path, "status must be one of \(Catalog.ModelStatus.allCases.map(\.rawValue).joined(separator: ", ")), got \(describe(field.value))")
                }
                model.status = status
            case "replaced_by":
                model.replacedBy = try string(field)
            case "removed_on":
                model.removedOn = try string(field)
            case "modes":
                model.modes = try modes(field)
            case "resolutions":
                model.resolutions = try resolutions(field)
            case "fps":
                model.fps = try integers(field, what: "a positive frame rate") { $0 > 0 }
            case "durations":
                model.durations = try integers(field, what: "a positive whole number of seconds") { $0 > 0 }
            case "duration_rules":
                model.durationRules = try list(field).map { node, line throws(CatalogError) in try durationRule(node, path: field.path, line: line) }
            case "auto_duration":
                model.autoDuration = try boolean(field)
            case "latency":
                let parts = try entries(field.value, path: field.path, line: field.line, allowed: ["low", "high"])
                for part in parts {
                    let value = try number(part, what: "a number of seconds ≥ 0") { $0 >= 0 }
                    if part.key == "low" { model.latencyLow = value } else { model.latencyHigh = value }
                }
                if model.latencyLow > model.latencyHigh {
                    throw fail(field.line, field.path, "low (\(model.latencyLow)) is above high (\(model.latencyHigh))")
                }
            case "last_frame":
                model.lastFrame = try boolean(field)
            case "prices":
                for tierEntry in try entries(field.value, path: field.path, line: field.line, allowed: CatalogFile.tiers) {
                    model.prices[tierEntry.key] = try price(tierEntry)
                }
            case "audio_price":
                model.audioPrice = try price(field)
            case "model_ids":
                var ids: [GenerationMode: String] = [:]
                for idEntry in try entries(field.value, path: field.path, line: field.line, allowed: GenerationMode.allCases.map(\.rawValue)) {
                    guard let mode = GenerationMode(rawValue: idEntry.key) else { continue }
                    let id = try string(idEntry)
                    guard CatalogFile.isModelPath(id) else {
                        throw fail(idEntry.line, idEntry.path, "must be a model path such as fal-ai/ltx-2.3/text-to-video (a name or owner/app[/...]: letters, digits, . _ -), got \(describe(idEntry.value))")
                    }
                    ids[mode] = id
                }
                model.modelIDs = ids
            default:
                break
            }
        }
    }

    func durationRule(_ node: Node, path: String, line: Int?) throws(CatalogError) -> Catalog.DurationRule {
        let fields = try entries(node, path: path, line: line, allowed: ["modes", "resolutions", "tiers", "fps", "min", "max", "note"])
        guard let noteEntry = fields.first(where: { $0.key == "note" }) else {
            throw fail(node.mark?.line ?? line, path, "a duration rule needs a note naming its case (used in error messages)")
        }
        var rule = Catalog.DurationRule(note: try string(noteEntry))
        for field in fields {
            switch field.key {
            case "modes": rule.modes = try modes(field)
            case "resolutions": rule.resolutions = try resolutions(field)
            case "tiers":
                rule.tiers = try list(field).map { node, line throws(CatalogError) in
                    let tier = try scalar(node, field.path, line)
                    guard CatalogFile.tiers.contains(tier) else {
                        throw fail(line, field.path, "tier \(tier) is not one of \(CatalogFile.tiers.joined(separator: ", "))")
                    }
                    return tier
                }
            case "fps": rule.fps = try integers(field, what: "a positive frame rate") { $0 > 0 }
            case "min": rule.min = try integer(field, what: "a positive whole number of seconds") { $0 > 0 }
            case "max": rule.max = try integer(field, what: "a positive whole number of seconds") { $0 > 0 }
            default: break
            }
        }
        return rule
    }

    func modeRule(_ entry: CatalogEntry) throws(CatalogError) -> Catalog.ModeRule {
        guard let mode = GenerationMode(rawValue: entry.key) else { throw fail(entry.line, entry.path, "unknown mode \(entry.key)") }
        var rule = Catalog.ModeRule(mode: mode)
        let fields = try entries(entry.value, path: entry.path, line: entry.line, allowed: [
            "models", "resolutions", "fps", "duration_from_audio", "audio_seconds", "guidance_scale", "optional_image",
        ])
        for field in fields {
            switch field.key {
            case "models":
                rule.models = try list(field).map { node, line throws(CatalogError) in try scalar(node, field.path, line) }
            case "resolutions":
                rule.resolutions = try resolutions(field)
            case "fps":
                rule.fixedFps = try integer(field, what: "a positive frame rate") { $0 > 0 }
            case "duration_from_audio":
                rule.durationFromAudio = try boolean(field)
            case "optional_image":
                rule.optionalImage = try boolean(field)
            case "audio_seconds", "guidance_scale":
                let bounds = try entries(field.value, path: field.path, line: field.line, allowed: ["min", "max"])
                var low: Double?
                var high: Double?
                for bound in bounds {
                    let value = try number(bound, what: "a number ≥ 0") { $0 >= 0 }
                    if bound.key == "min" { low = value } else { high = value }
                }
                if let low, let high, low > high { throw fail(field.line, field.path, "min (\(low)) is above max (\(high))") }
                if field.key == "audio_seconds" {
                    (rule.minAudioSeconds, rule.maxAudioSeconds) = (low, high)
                } else {
                    (rule.minGuidanceScale, rule.maxGuidanceScale) = (low, high)
                }
            default:
                break
            }
        }
        return rule
    }

    /// `renders: { 1920x1080: 1920x1088, ... }`: the size each requested size renders at.
    func renders(_ entry: CatalogEntry) throws(CatalogError) -> [Resolution: Resolution] {
        var renders: [Resolution: Resolution] = [:]
        for sizeEntry in try entries(entry.value, path: entry.path, line: entry.line, allowed: nil) {
            guard let size = Resolution(parsing: sizeEntry.key), let rendered = Resolution(parsing: try string(sizeEntry)) else {
                throw fail(sizeEntry.line, sizeEntry.path, "each entry must be WIDTHxHEIGHT: WIDTHxHEIGHT such as 1920x1080: 1920x1088")
            }
            guard rendered.width % 2 == 0, rendered.height % 2 == 0 else {
                throw fail(sizeEntry.line, sizeEntry.path, "\(rendered) is not an even size; H.264 renders only even sizes")
            }
            renders[size] = rendered
        }
        return renders
    }

    /// `sizes: { 1920x1080: { resolution: 1080p, aspect_ratio: "16:9" }, ... }`.
    func sizes(_ entry: CatalogEntry) throws(CatalogError) -> [Resolution: Catalog.ProviderSize] {
        var sizes: [Resolution: Catalog.ProviderSize] = [:]
        for sizeEntry in try entries(entry.value, path: entry.path, line: entry.line, allowed: nil) {
            guard let size = Resolution(parsing: sizeEntry.key) else {
                throw fail(sizeEntry.line, sizeEntry.path, "each key must be WIDTHxHEIGHT such as 1920x1080")
            }
            let fields = try entries(sizeEntry.value, path: sizeEntry.path, line: sizeEntry.line, allowed: ["resolution", "aspect_ratio"])
            guard let tier = fields.first(where: { $0.key == "resolution" }), let aspect = fields.first(where: { $0.key == "aspect_ratio" }) else {
                throw fail(sizeEntry.line, sizeEntry.path, "needs resolution (the tier name the provider takes) and aspect_ratio")
            }
            sizes[size] = Catalog.ProviderSize(resolution: try string(tier), aspectRatio: try string(aspect))
        }
        return sizes
    }

    func inputs(_ entry: CatalogEntry) throws(CatalogError) -> Catalog.Inputs {
        let kinds = try entries(entry.value, path: entry.path, line: entry.line, allowed: ["image", "audio"])
        func limit(_ kind: String) throws(CatalogError) -> Catalog.InputLimit {
            guard let kindEntry = kinds.first(where: { $0.key == kind }) else {
                throw fail(entry.line, "inputs.\(kind)", "missing required key \"inputs.\(kind)\"")
            }
            let fields = try entries(kindEntry.value, path: kindEntry.path, line: kindEntry.line, allowed: [
                "formats", "max_bytes", "min_seconds", "data_uri_max_bytes", "url_max_bytes",
            ])
            guard let formats = fields.first(where: { $0.key == "formats" }), let maxBytes = fields.first(where: { $0.key == "max_bytes" }) else {
                throw fail(kindEntry.line, kindEntry.path, "needs formats and max_bytes")
            }
            var limit = Catalog.InputLimit(
                formats: try list(formats).map { node, line throws(CatalogError) in try scalar(node, formats.path, line) },
                maxBytes: Int64(try integer(maxBytes, what: "a positive number of bytes") { $0 > 0 })
            )
            for field in fields {
                switch field.key {
                case "min_seconds": limit.minSeconds = try number(field, what: "a number of seconds ≥ 0") { $0 >= 0 }
                case "data_uri_max_bytes": limit.dataURIMaxBytes = Int64(try integer(field, what: "a positive number of bytes") { $0 > 0 })
                case "url_max_bytes": limit.urlMaxBytes = Int64(try integer(field, what: "a positive number of bytes") { $0 > 0 })
                default: break
                }
            }
            return limit
        }
        return Catalog.Inputs(image: try limit("image"), audio: try limit("audio"))
    }

    // MARK: Mappings and values

    func root(_ yaml: String) throws(CatalogError) -> Node {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, yaml: yaml)
        }
        guard let root = composed, !Self.isNull(root) else { throw fail(nil, "", "the file is empty") }
        guard case .mapping = root else { throw fail(root.mark?.line, "", "a catalog file must be a mapping of keys, got \(describe(root))") }
        return root
    }

    /// A mapping's entries; unknown (when `allowed` is given), duplicate and non-scalar keys are errors.
    func entries(_ node: Node, path: String, line: Int?, allowed: [String]?) throws(CatalogError) -> [CatalogEntry] {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            throw fail(node.mark?.line ?? line, path, "must be a mapping\(allowed.map { " of \($0.joined(separator: ", "))" } ?? ""), got \(describe(node))")
        }
        var result: [CatalogEntry] = []
        for (keyNode, value) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard case .scalar(let scalar) = keyNode else { throw fail(keyLine, path, "keys must be plain names, got \(describe(keyNode))") }
            let key = scalar.string
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if let first = result.first(where: { $0.key == key }) {
                throw fail(keyLine, keyPath, "duplicate key\(first.line.map { " (first on line \($0))" } ?? ""); keep one")
            }
            if let allowed, !allowed.contains(key) {
                throw fail(keyLine, keyPath, "unknown key \"\(key)\"\(path.isEmpty ? "" : " in \(path)"); allowed: \(allowed.joined(separator: ", "))")
            }
            result.append(CatalogEntry(key: key, path: keyPath, line: keyLine, value: value))
        }
        return result
    }

    func list(_ entry: CatalogEntry) throws(CatalogError) -> [(Node, Int?)] {
        guard case .sequence(let sequence) = entry.value else {
            throw fail(entry.line, entry.path, "must be a list such as [a, b], got \(describe(entry.value))")
        }
        return sequence.map { ($0, $0.mark?.line ?? entry.line) }
    }

    func scalar(_ node: Node, _ path: String, _ line: Int?) throws(CatalogError) -> String {
        guard case .scalar(let scalar) = node, !Self.isNull(node), !scalar.string.isEmpty else {
            throw fail(line, path, "must be a plain value, got \(describe(node))")
        }
        return scalar.string
    }

    func string(_ entry: CatalogEntry) throws(CatalogError) -> String { try scalar(entry.value, entry.path, entry.line) }

    func integer(_ entry: CatalogEntry, what: String, _ valid: (Int) -> Bool) throws(CatalogError) -> Int {
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let value = Int(scalar.string), valid(value) else {
            throw fail(entry.value.mark?.line ?? entry.line, entry.path, "must be \(what), got \(describe(entry.value))")
        }
        return value
    }

    func integers(_ entry: CatalogEntry, what: String, _ valid: (Int) -> Bool) throws(CatalogError) -> [Int] {
        try list(entry).map { node, line throws(CatalogError) in
            guard case .scalar(let scalar) = node, Self.isPlain(scalar), let value = Int(scalar.string), valid(value) else {
                throw fail(line, entry.path, "each item must be \(what), got \(describe(node))")
            }
            return value
        }
    }

    func number(_ entry: CatalogEntry, what: String, _ valid: (Double) -> Bool) throws(CatalogError) -> Double {
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar), let value = Double(scalar.string), value.isFinite, valid(value) else {
            throw fail(entry.value.mark?.line ?? entry.line, entry.path, "must be \(what), got \(describe(entry.value))")
        }
        return value
    }

    /// A price in USD: a positive number, or null for unknown.
    func price(_ entry: CatalogEntry) throws(CatalogError) -> Double? {
        if Self.isNull(entry.value) { return nil }
        return try number(entry, what: "a price in USD above 0, or null when unknown") { $0 > 0 }
    }

    func boolean(_ entry: CatalogEntry) throws(CatalogError) -> Bool {
        guard case .scalar(let scalar) = entry.value, Self.isPlain(scalar) else {
            throw fail(entry.line, entry.path, "must be true or false, got \(describe(entry.value))")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(entry.line, entry.path, "must be true or false, got \(describe(entry.value))")
        }
    }

    func resolution(_ entry: CatalogEntry) throws(CatalogError) -> Resolution {
        let text = try string(entry)
        guard let value = Resolution(parsing: text) else { throw fail(entry.line, entry.path, "must be WIDTHxHEIGHT such as 1920x1080, got \(describe(entry.value))") }
        return value
    }

    func resolutions(_ entry: CatalogEntry) throws(CatalogError) -> [Resolution] {
        try list(entry).map { node, line throws(CatalogError) in
            guard let value = Resolution(parsing: try scalar(node, entry.path, line)) else {
                throw fail(line, entry.path, "each item must be WIDTHxHEIGHT such as 1920x1080, got \(describe(node))")
            }
            return value
        }
    }

    func modes(_ entry: CatalogEntry) throws(CatalogError) -> [GenerationMode] {
        try list(entry).map { node, line throws(CatalogError) in
            guard let mode = GenerationMode(rawValue: try scalar(node, entry.path, line)) else {
                throw fail(line, entry.path, "each item must be one of \(GenerationMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(describe(node))")
            }
            return mode
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, isPlain(scalar) else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func isPlain(_ scalar: Node.Scalar) -> Bool { scalar.style == .plain || scalar.style == .any }

    /// A value as written, for "got …".
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if Self.isNull(node) { return "nothing" }
            if Self.isPlain(scalar), Double(scalar.string) != nil { return scalar.string }
            let shown = scalar.string.count > 60 ? String(scalar.string.prefix(57)) + "…" : scalar.string
            return "\"\(shown.replacingOccurrences(of: "\n", with: "\\n"))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Yams' error as one line at its line.
    func syntaxError(_ error: any Error, yaml: String) -> CatalogError {
        guard let error = error as? YamlError else { return fail(nil, "", "cannot be read as YAML: \(error)") }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return fail(mark.line, "", message)
        case let .reader(problem, offset, _, _):
            let line = offset.map { offset in yaml.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return fail(line, "", "invalid text: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return fail(context.mark.line, duplicates.first ?? "", "duplicate key; keep one")
        default:
            return fail(nil, "", "invalid YAML: \(error)")
        }
    }
}
