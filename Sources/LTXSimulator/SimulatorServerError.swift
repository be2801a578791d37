/// Why a simulator could not be configured or started.
public enum SimulatorServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value the server cannot run with.
    case invalidConfiguration(String)
    /// The cache folder for rendered videos cannot be created.
    case cacheDirectoryUnavailable(path: String, reason: String)
    /// The listening socket could not be opened.
    case cannotListen(address: String, reason: String)

    /// What happened and what to do about it.
    public var description: String {
        switch self {
        case .invalidConfiguration(let text):
            return "invalid simulator configuration: \(text)"
        case .cacheDirectoryUnavailable(let path, let reason):
            return "cannot use \(path) as the simulator's video cache: \(reason); pass another cache directory"
        case .cannotListen(let address, let reason):
            return "cannot listen on \(address): \(reason); choose another port, or 0 for a free one"
        }
    }
}
