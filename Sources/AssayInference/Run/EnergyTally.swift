import Foundation

/// The energy of one session of a run, summed over its batches, with the provenance a report needs.
public struct EnergyTally: Sendable, Equatable {
    public private(set) var method: EnergyMethod
    public private(set) var joules = 0.0
    public private(set) var measuredSeconds = 0.0
    public private(set) var batches = 0
    /// The first batch's constants: the meter's fixed figures (watts per core, counters) are there.
    public private(set) var firstBatchConstants: [String: Double]
    public private(set) var provenance: String

    init(first measurement: EnergyMeasurement) {
        method = measurement.method
        firstBatchConstants = measurement.constants
        provenance = measurement.provenance
        add(measurement)
    }

    mutating func add(_ measurement: EnergyMeasurement) {
        joules += measurement.joules
        measuredSeconds += measurement.durationSeconds
        batches += 1
    }

    public var kilowattHours: Double { joules / 3_600_000 }

    /// What `run.energy_constants` stores: one flat JSON object of numbers and strings, the first
    /// batch's constants prefixed with `first_batch_`.
    public var constantsJSON: String {
        var object: [String: Any] = [
            "provenance": provenance, "batches": batches, "joules": joules, "measured_seconds": measuredSeconds,
            "attribution": "each prediction carries its batch's energy in proportion to its latency",
        ]
        for (name, value) in firstBatchConstants { object["first_batch_\(name)"] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
