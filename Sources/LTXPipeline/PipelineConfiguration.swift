import Foundation
import LTXAPI
import LTXGeneration
import LTXMedia

/// A validated pipeline file: where files come from and go, how the API is reached, what jobs default to.
/// Every path is absolute (relative paths in the file are resolved against the file's own folder).
public struct PipelineConfiguration: Sendable, Equatable {
    /// How the API is reached.
    public struct API: Sendable, Equatable {
        /// `simulator` for an in-process simulator on loopback, else an http(s) base URL.
        public var base: String
        /// The wire protocol.
        public var dialect: DialectName
        /// The account's limits.
        public var limits: RateGovernor.Limits
        /// Settings of the in-process simulator (`base: simulator` only).
        public var simulator: SimulatorSettings
        /// Use the protocol's sync endpoint (ltx-v2 only): one request whose body is the video. Off by default,
        /// because a connection broken mid-way loses a video already paid for.
        public var sync: Bool

        /// The user's catalog override file (`api.catalog`), absolute.
        public var catalogFile: String?
        /// The effective catalog: the dialect's shipped catalog with `catalogFile` merged over it.
        public var catalog: Catalog
        /// The ComfyUI workflow for each mode (`api.workflow`, comfyui only), loaded and checked.
        public var workflows: [GenerationMode: ComfyUIWorkflow] = [:]
        /// The ComfyUI servers of a pool (`api.servers`, comfyui only); empty: `base` is the one server.
        public var servers: [String] = []

        /// The wire protocol with this configuration's catalog (and, for comfyui, its workflows).
        public var wireDialect: any Dialect {
            dialect == .comfyui ? ComfyUIDialect(catalog: catalog, workflows: workflows, servers: servers.compactMap(URL.init(string:)))
                : dialect.dialect(catalog: catalog)
        }

        public static func == (a: API, b: API) -> Bool {
            a.base == b.base && a.dialect == b.dialect && a.limits == b.limits && a.simulator == b.simulator && a.sync == b.sync
                && a.catalogFile == b.catalogFile && a.workflows == b.workflows && a.servers == b.servers
        }

        /// True when `base` is `simulator`.
        public var usesSimulator: Bool { base == "simulator" }

        /// Creates API settings.
        public init(base: String, dialect: DialectName = .generations, limits: RateGovernor.Limits? = nil,
                    simulator: SimulatorSettings = SimulatorSettings(), sync: Bool = false, catalogFile: String? = nil, catalog: Catalog? = nil) {
            self.base = base
            self.dialect = dialect
            self.catalogFile = catalogFile
            self.catalog = catalog ?? dialect.dialect.catalog
            self.limits = limits ?? RateGovernor.Limits(generations: dialect.defaultConcurrentGenerations)
            self.simulator = simulator
            self.sync = sync
        }
    }

    /// The in-process simulator's settings.
    public struct SimulatorSettings: Sendable, Equatable {
        /// Real seconds per simulated second (0.05 turns a 10 s generation into half a second).
        public var timeScale: Double
        /// Starting credit balance in USD.
        public var credits: Double

        /// Creates simulator settings.
        public init(timeScale: Double = 1, credits: Double = 100) {
            self.timeScale = timeScale
            self.credits = credits
        }
    }

    /// Parameters a job takes when its sidecar does not say.
    public struct Defaults: Sendable, Equatable {
        /// Model name.
        public var model: String?
        /// Resolution.
        public var resolution: Resolution?
        /// Duration in seconds.
        public var duration: DurationChoice?
        /// Frames per second.
        public var fps: Int?

        /// Creates defaults.
        public init(model: String? = nil, resolution: Resolution? = nil, duration: DurationChoice? = nil, fps: Int? = nil) {
            self.model = model
            self.resolution = resolution
            self.duration = duration
            self.fps = fps
        }
    }

    /// Spending limits in USD; a job over budget is held, not submitted.
    public struct Budget: Sendable, Equatable {
        /// Largest estimated cost of one job.
        public var perJob: Double?
        /// Largest total (recorded costs plus estimates of jobs in flight) over the pipeline's life.
        public var total: Double?

        /// Creates a budget.
        public init(perJob: Double? = nil, total: Double? = nil) {
            self.perJob = perJob
            self.total = total
        }
    }

    /// How delivered videos are verified (`verify:`). The default is deep verification with content checks:
    /// an account runs few generations at once, so the host has the CPU to decode every frame.
    public struct Verify: Sendable, Equatable {
        /// Index only, index + sampled frames, or every frame decoded.
        public var mode: VerificationMode
        /// Allowed |frames/fps − duration| in seconds.
        public var durationTolerance: Double
        /// Limits of the content checks (`verify.content`); nil turns them off. Quick mode makes none.
        public var content: ContentThresholds?

        /// True when every frame is decoded.
        public var deep: Bool { mode == .deep }

        /// Creates verification settings.
        public init(mode: VerificationMode = .deep, durationTolerance: Double = 0.5, content: ContentThresholds? = ContentThresholds()) {
            self.mode = mode
            self.durationTolerance = durationTolerance
            self.content = content
        }

        /// The settings the generation steps verify with.
        public var settings: VerificationSettings {
            VerificationSettings(mode: mode, durationTolerance: durationTolerance, content: content)
        }
    }

    /// Where job events are posted.
    public struct Notify: Sendable, Equatable {
        /// The http(s) URL each event's JSON body is posted to.
        public var webhook: String
        /// The events posted.
        public var events: [NotifyEvent]

        /// Creates notification settings.
        public init(webhook: String, events: [NotifyEvent] = NotifyEvent.allCases) {
            self.webhook = webhook
            self.events = events
        }
    }

    /// The pipeline's name (also written into every bag).
    public var name: String
    /// The pipeline file this came from (absolute).
    public var file: String
    /// The watched folder.
    public var drop: String
    /// Where verified bags go.
    public var archive: String
    /// Where inputs that could not be processed go, each group with error.json.
    public var failed: String
    /// The ledger and working files.
    public var state: String
    /// API settings.
    public var api: API
    /// Job defaults.
    public var defaults: Defaults
    /// Prompt for inputs without one of their own.
    public var prompt: String?
    /// Spending limits.
    public var budget: Budget
    /// Verification settings.
    public var verify: Verify
    /// Seconds a file group must be still before it is taken.
    public var settleSeconds: Double
    /// Seconds between scans of the drop folder.
    public var pollSeconds: Double
    /// How start images of another aspect are fitted (`auto`: the preset of the image's orientation when no
    /// resolution was asked, then crop).
    public var fit: FitMode
    /// Re-send a submit whose outcome is unknown (pays twice if the first one went through).
    public var resubmitUncertain: Bool
    /// How many times a job may crash or be stopped inside one risky stage (preflight, verify, archive) before it
    /// is quarantined in `failed/` as `poison`.
    public var poisonAttempts: Int
    /// Seconds the media work of one risky stage (preflight, verify, archive) may take before its reads are stopped;
    /// a stage stopped that way counts as an attempt that never ended (see `poisonAttempts`).
    public var stageTimeoutSeconds: Double = PipelineConfiguration.defaultStageTimeout
    /// `stage_timeout_seconds` when the file does not say: 10 minutes, far above a deep verification of a 20 s 4K
    /// video on two busy cores (tens of seconds).
    public static let defaultStageTimeout = 600.0
    /// Webhook notifications, when set.
    public var notify: Notify?
    /// Rewrite the archive's `index.html` as bags land (`archive_index`, default true).
    public var archiveIndex = true
    /// The providers after the first (`api.providers`), in the file's order; empty when the file names one provider.
    public var moreProviders: [API] = []
    /// Every provider jobs may go to, in the file's order: `api` first.
    public var providers: [API] { [api] + moreProviders }
    /// How a job's provider is chosen among `providers` (`api.route`).
    public var route: ProviderRoute = .order
    /// A job no provider accepted moves to the next provider that can serve it (`api.fallback`).
    public var fallback = false
    /// `deliver`: the video as rendered, or cropped to the size asked for when the backend renders a larger one.
    public var deliver: DeliveryMode = .rendered

    /// Creates a configuration; `PipelineFile.load` is the usual way.
    public init(
        name: String, file: String, drop: String, archive: String, failed: String, state: String, api: API,
        defaults: Defaults = Defaults(), prompt: String? = nil, budget: Budget = Budget(), verify: Verify = Verify(),
        settleSeconds: Double = 3, pollSeconds: Double = 1, fit: FitMode = .auto, resubmitUncertain: Bool = false,
        poisonAttempts: Int = 3, notify: Notify? = nil
    ) {
        self.name = name
        self.file = file
        self.drop = drop
        self.archive = archive
        self.failed = failed
        self.state = state
        self.api = api
        self.defaults = defaults
        self.prompt = prompt
        self.budget = budget
        self.verify = verify
        self.settleSeconds = settleSeconds
        self.pollSeconds = pollSeconds
        self.fit = fit
        self.resubmitUncertain = resubmitUncertain
        self.poisonAttempts = max(1, poisonAttempts)
        self.notify = notify
    }
}
