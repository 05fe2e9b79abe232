/// How an energy figure was obtained.
public enum EnergyMethod: String, Sendable, Codable, CaseIterable {
    /// Measured: the CPU packages' RAPL counters (Linux powercap).
    case rapl
    /// Measured: the GPUs' cumulative energy counters through NVIDIA's management library.
    case nvml
    /// Estimated from CPU time and resident memory with published power constants.
    case estimate
    /// Estimated as the user's `--server-watts` times the server's busy time (a remote server).
    case serverWatts = "server-watts"

    /// "measured (rapl)" or "estimated": what a report prints next to the figure.
    public var label: String {
        switch self {
        case .estimate: "estimated"
        case .serverWatts: "estimated from --server-watts"
        case .rapl, .nvml: "measured (\(rawValue))"
        }
    }
}
