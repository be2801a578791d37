import LTXAPI
import LTXGeneration

/// One provider a pipeline sends jobs to: its settings, its client (with its own key, rate governor and catalog)
/// and its own generation slots, so each provider's limits bind only its own jobs.
struct ProviderLane: Sendable {
    /// The provider's settings from the pipeline file.
    let api: PipelineConfiguration.API
    /// The generation steps over the provider's client.
    let steps: GenerationSteps
    /// The generations the provider's account runs at once.
    let slots: GenerationSlots

    /// The provider's name in the ledger, logs and bags (its protocol name).
    var name: String { api.dialect.rawValue }
}
