import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// The grid emission factor and PUE a run's energy is converted to CO2 with.
public struct CarbonSettings: Sendable {
    public let factor: EmissionFactor
    public let pue: Double

    /// `emissionFactor` (grams CO2e per kWh, with its `source`) wins over `region`; neither means
    /// the world average.
    public init(region: String?, emissionFactor: Double?, source: String?, pue: Double) throws {
        if let emissionFactor {
            factor = try EmissionFactor(
                gramsPerKWh: emissionFactor, source: source ?? "given on the command line",
                year: nil, region: region?.uppercased() ?? "CUSTOM")
        } else {
            factor = try EmissionFactors.factor(for: region ?? "WORLD")
        }
        guard pue.isFinite, pue >= 1 else {
            throw AssayError("--pue must be at least 1 (got \(pue)); 1 means no facility overhead, data centres report 1.1 to 1.6")
        }
        self.pue = pue
    }

    /// Stores the session's energy provenance and the run's CO2 (its whole energy x factor x PUE).
    public func record(_ energy: EnergyTally, runID: RunID, in store: AssayStore) throws {
        let run = try store.run(id: runID)
        let carbon = try CarbonEstimate(
            energyKWh: run.energyKwh ?? energy.kilowattHours, factor: factor,
            powerUsageEffectiveness: pue)
        try store.recordCarbon(
            runID: runID, method: energy.method, constants: energy.storedConstants,
            factor: factor, pue: pue, co2Grams: carbon.grams)
    }
}
