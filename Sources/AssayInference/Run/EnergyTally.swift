import AssayCore
import Foundation

/// The energy of one session of a run, summed over its batches, with the provenance a report needs.
public struct EnergyTally: Sendable, Equatable {
    public private(set) var method: EnergyMethod
    public private(set) var joules = 0.0
    public private(set) var measuredSeconds = 0.0
    public private(set) var batches = 0
    /// The meters' numbers over the whole session: fixed figures (watts per core, counter ranges)
    /// as the first batch reported them, time readings summed, memory readings at their peak.
    public private(set) var constants: [String: Double]
    public private(set) var provenance: String
    /// What the figure covers, in words, as the first batch reported it.
    public private(set) var notes: [String: String]
    /// What the batches' energy was shared by among their predictions.
    public private(set) var shareBases: Set<EnergyShareBasis> = []

    init(first measurement: EnergyMeasurement, sharedBy basis: EnergyShareBasis) {
        method = measurement.method
        constants = [:]
        provenance = measurement.provenance
        notes = measurement.notes
        add(measurement, sharedBy: basis)
    }

    mutating func add(_ measurement: EnergyMeasurement, sharedBy basis: EnergyShareBasis) {
        shareBases.insert(basis)
        joules += measurement.joules
        measuredSeconds += measurement.durationSeconds
        batches += 1
        for (name, value) in measurement.constants {
            guard let earlier = constants[name] else {
                constants[name] = value
                continue
            }
            if name.hasSuffix("_seconds") {
                constants[name] = earlier + value
            } else if name.hasSuffix("_gib") {
                constants[name] = max(earlier, value)
            }
        }
    }

    public var kilowattHours: Double { joules / 3_600_000 }

    /// What `run.energy_constants` stores: every number and note behind the figure.
    public var storedConstants: [String: EnergyConstant] {
        var stored = constants.mapValues(EnergyConstant.number)
        for (name, note) in notes { stored[name] = .text(note) }
        stored["provenance"] = .text(provenance)
        stored["batches"] = .number(Double(batches))
        stored["joules"] = .number(joules)
        stored["measured_seconds"] = .number(measuredSeconds)
        stored["attribution"] = .text(EnergyShareBasis.attribution(shareBases))
        return stored
    }
}
