import AssayCore

/// The energy one measurement found, with everything needed to judge and reproduce it.
public struct EnergyMeasurement: Sendable, Equatable, Codable {
    public let joules: Double
    public let durationSeconds: Double
    public let method: EnergyMethod
    /// Every number behind the figure (watts per core, counter ranges, CPU seconds...), by name.
    public let constants: [String: Double]
    /// One sentence: which counters or which model and sources.
    public let provenance: String
    /// What the figure covers, in words, by name ("cpu_time_of": "pid 812 (llama-server), listening on port 8080").
    public let notes: [String: String]

    public init(
        joules: Double, durationSeconds: Double, method: EnergyMethod, constants: [String: Double], provenance: String,
        notes: [String: String] = [:]
    ) {
        self.joules = joules
        self.durationSeconds = durationSeconds
        self.method = method
        self.constants = constants
        self.provenance = provenance
        self.notes = notes
    }

    /// 1 kWh = 3.6 MJ.
    public var kilowattHours: Double { joules / 3_600_000 }
}
