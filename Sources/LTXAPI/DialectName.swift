/// The wire protocols ltxpipe speaks, by the name pipeline files and `--dialect` use.
public enum DialectName: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The API reference the product was specified from (`POST /generations/{mode}`).
    case generations
    /// What api.ltx.video serves (`POST /v2/{mode}`, uploads, sync endpoint).
    case ltxV2 = "ltx-v2"
    /// fal.ai's queue API (`POST {base}/{model_id}`, status and response URLs, `Authorization: Key`).
    case fal
    /// Replicate's predictions API (`POST {base}/v1/models/{owner}/{name}/predictions`, `Authorization: Bearer`).
    case replicate
    /// WaveSpeed AI's v3 API (`POST {base}/api/v3/{model-path}`, `{code,message,data}` envelope, `Authorization: Bearer`).
    case wavespeed
    /// APIFree's OpenAI-style video API (`POST {base}/v1/videos`, `Authorization: Bearer`).
    case apifree
    /// A ComfyUI server's HTTP API (`POST {base}/prompt` with an API-format workflow; the user's own GPU, no key).
    case comfyui

    /// The name as written.
    public var description: String { rawValue }

    /// The protocol's implementation with its shipped catalog (the file next to the binary, else the built-in copy).
    public var dialect: any Dialect { dialect(catalog: (try? CatalogStore.load(dialect: rawValue)) ?? builtInCatalog) }

    /// The protocol's implementation with `catalog`.
    public func dialect(catalog: Catalog) -> any Dialect {
        switch self {
        case .generations: return GenerationsDialect(catalog: catalog)
        case .ltxV2: return LTXV2Dialect(catalog: catalog)
        case .fal: return FalDialect(catalog: catalog)
        case .replicate: return ReplicateDialect(catalog: catalog)
        case .wavespeed: return WaveSpeedDialect(catalog: catalog)
        case .apifree: return APIFreeDialect(catalog: catalog)
        case .comfyui: return ComfyUIDialect(catalog: catalog)
        }
    }

    /// The effective catalog: the shipped file with the user's override file (if any) merged over it.
    public func loadCatalog(overrides: String? = nil) throws(CatalogError) -> Catalog {
        try CatalogStore.load(dialect: rawValue, overrides: overrides)
    }

    /// The catalog compiled into the binary.
    public var builtInCatalog: Catalog {
        switch self {
        case .generations: return .generations
        case .ltxV2: return .ltxV2
        case .fal: return .fal
        case .replicate: return .replicate
        case .wavespeed: return .wavespeed
        case .apifree: return .apifree
        case .comfyui: return .comfyui
        }
    }

    /// What the protocol can do.
    public var capabilities: DialectCapabilities {
        switch self {
        case .generations: return DialectCapabilities(syncEndpoint: false, uploads: false, seed: true, reportsCost: true, pollNeedsMode: false)
        case .ltxV2: return DialectCapabilities(syncEndpoint: true, uploads: true, seed: false, reportsCost: false, pollNeedsMode: true)
        case .fal: return DialectCapabilities(syncEndpoint: false, uploads: true, seed: false, reportsCost: false, pollNeedsMode: false)
        case .replicate: return DialectCapabilities(syncEndpoint: false, uploads: true, seed: false, reportsCost: false, pollNeedsMode: false)
        case .wavespeed: return DialectCapabilities(syncEndpoint: false, uploads: true, seed: false, reportsCost: false, pollNeedsMode: false)
        case .apifree: return DialectCapabilities(syncEndpoint: false, uploads: false, seed: false, reportsCost: false, pollNeedsMode: false)
        case .comfyui: return DialectCapabilities(syncEndpoint: false, uploads: true, seed: true, reportsCost: false, pollNeedsMode: false, idempotentSubmit: true)
        }
    }

    /// Generations an account runs at once by default (nil: the protocol documents no such limit).
    public var defaultConcurrentGenerations: Int? {
        switch self {
        case .generations: return nil
        case .ltxV2: return 2
        case .fal, .replicate, .apifree: return nil
        // Bronze, the default account level: 2 concurrent tasks (more wait in WaveSpeed's queue).
        case .wavespeed: return 2
        // One GPU renders one prompt at a time; a second waits in its queue, ready the moment the first ends.
        case .comfyui: return 2
        }
    }

    /// The service's documented base URL for this protocol.
    public var defaultBase: String {
        switch self {
        case .generations: return "https://api.ltx.video/v1"
        case .ltxV2: return "https://api.ltx.video"
        case .fal: return "https://queue.fal.run"
        case .replicate: return "https://api.replicate.com"
        case .wavespeed: return "https://api.wavespeed.ai"
        case .apifree: return "https://api.apifree.ai"
        case .comfyui: return "http://127.0.0.1:8188"
        }
    }

    /// The protocol's base URL on a server that serves every protocol from a root with `/v1` under it (the
    /// simulator, which serves fal under `/fal`).
    public func base(fromV1 v1: String) -> String {
        var root = v1
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root = String(root.dropLast(3)) }
        switch self {
        case .generations: return v1
        case .ltxV2: return root
        case .fal: return root + "/fal"
        case .replicate: return root + "/replicate"
        case .wavespeed: return root + "/wavespeed"
        case .apifree: return root + "/apifree"
        case .comfyui: return root + "/comfyui"
        }
    }

    /// The environment variable that overrides the base URL of this protocol's service, when it has one
    /// (`LTX_API_BASE` is LTX's: it never redirects another provider's key).
    public var baseVariable: String? {
        switch self {
        case .generations, .ltxV2: return "LTX_API_BASE"
        case .fal, .replicate, .wavespeed, .apifree, .comfyui: return nil
        }
    }

    /// The base URL `environment` sets for this protocol's service, when it sets one.
    public func environmentBase(_ environment: [String: String]) -> String? {
        baseVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The environment variable that holds the key for this protocol's service.
    public var keyVariable: String {
        switch self {
        case .generations, .ltxV2: return "LTX_API_KEY"
        case .fal: return "FAL_KEY"
        case .replicate: return "REPLICATE_API_TOKEN"
        case .wavespeed: return "WAVESPEED_API_KEY"
        case .apifree: return "APIFREE_API_KEY"
        case .comfyui: return "COMFYUI_API_KEY"
        }
    }

    /// Whether the service refuses requests without a key (ComfyUI has no authentication: its key is optional, for a
    /// proxy in front of it).
    public var requiresKey: Bool { self != .comfyui }
}

/// What a protocol can do, stated by each dialect as values rather than found by comparing names.
public struct DialectCapabilities: Sendable, Equatable {
    /// A sync endpoint whose answer is the video itself.
    public var syncEndpoint: Bool
    /// Local files go through an upload endpoint (or inline `data:` URIs) instead of a multipart body.
    public var uploads: Bool
    /// Requests may carry a seed.
    public var seed: Bool
    /// Submit and poll answers carry what the generation cost.
    public var reportsCost: Bool
    /// Polling a generation needs its mode (the path names it).
    public var pollNeedsMode: Bool
    /// A submit may be sent again after an unknown outcome: the client chose the id, asks for it first, and a repeat
    /// costs nothing (ComfyUI on the user's own GPU).
    public var idempotentSubmit: Bool

    /// Creates capabilities.
    public init(syncEndpoint: Bool, uploads: Bool, seed: Bool, reportsCost: Bool, pollNeedsMode: Bool, idempotentSubmit: Bool = false) {
        self.idempotentSubmit = idempotentSubmit
        self.syncEndpoint = syncEndpoint
        self.uploads = uploads
        self.seed = seed
        self.reportsCost = reportsCost
        self.pollNeedsMode = pollNeedsMode
    }
}
