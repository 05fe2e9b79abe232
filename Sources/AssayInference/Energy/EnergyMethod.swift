/// How an energy figure was obtained.
public enum EnergyMethod: String, Sendable, Codable, CaseIterable {
    /// Measured: the CPU packages' RAPL counters (Linux powercap).
    case rapl
    /// Measured: the GPUs' cumulative energy counters through NVIDIA's management library.
    case nvml
    /// Estimated from CPU time and resident memory with published power constants.
    case estimate

    /// "measured (rapl)" or "estimated": what a report prints next to the figure.
    public var label: String {
        self == .estimate ? "estimated" : "measured (\(rawValue))"
    }
}
