/// The shared parts every dialect's routes work with: configuration, clock, state, renderer.
struct SimulatorEnvironment: Sendable {
    let configuration: SimulatorConfiguration
    let clock: SimulatorClock
    let state: SimulatorState
    let renderer: VideoRenderer
    let cacheDirectory: String
}
