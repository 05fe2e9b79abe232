/// Where a run's inference ran, which decides what its energy figure can cover.
public enum EnergyScope: String, Sendable, Codable, CaseIterable {
    /// Assay's own engine: the meter covers this process (or, with RAPL or NVML, the machine).
    case inProcess = "in-process"
    /// A server on a loopback address: its processes run on this machine and can be metered here.
    case localServer = "local-server"
    /// A server on another machine: nothing here measures it; only `--server-watts` gives a figure.
    case remoteServer = "remote-server"

    /// "local server": what a report prints beside the energy.
    public var label: String {
        switch self {
        case .inProcess: "in-process engine"
        case .localServer: "local server"
        case .remoteServer: "remote server"
        }
    }

    /// What a report prints instead of an energy or CO2 figure when none was recorded.
    public var notMeasuredLabel: String {
        switch self {
        case .remoteServer: "not measured (remote server)"
        case .inProcess, .localServer: "not measured (no meter)"
        }
    }
}
