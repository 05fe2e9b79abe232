import AssayCore
import AssayStore

extension RunRecord {
    /// Writes a measurement and the CO2e it implies onto the run: energy, method, the constants
    /// as JSON (the provenance sentence included), the emission factor with its source and year,
    /// the region, the PUE and the grams, so `assay metrics` can show where every figure came from.
    public mutating func record(energy measurement: EnergyMeasurement, factor: EmissionFactor, powerUsageEffectiveness: Double = 1) throws {
        let carbon = try CarbonEstimate(energyKWh: measurement.kilowattHours, factor: factor, powerUsageEffectiveness: powerUsageEffectiveness)
        var constants = measurement.constants.mapValues(EnergyConstant.number)
        constants["provenance"] = .text(measurement.provenance)
        energyKwh = measurement.kilowattHours
        energyMethod = measurement.method.rawValue
        energyConstants = try EnergyConstant.encodeObject(constants)
        emissionFactor = factor.gramsPerKWh
        emissionFactorSource = factor.storedSource
        emissionRegion = factor.region
        pue = powerUsageEffectiveness
        co2Grams = carbon.grams
    }
}
