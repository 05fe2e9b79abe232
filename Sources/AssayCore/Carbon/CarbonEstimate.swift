import AssaySupport

/// CO2-equivalent emitted for some energy: kWh x grid emission factor x PUE.
///
/// PUE (power usage effectiveness) scales the energy measured at the machine to the energy the
/// facility drew, cooling included; 1 means none is added (a desktop, or a meter that already
/// measures at the wall).
public struct CarbonEstimate: Sendable, Equatable {
    public let energyKWh: Double
    public let factor: EmissionFactor
    public let powerUsageEffectiveness: Double
    public let grams: Double

    public init(energyKWh: Double, factor: EmissionFactor, powerUsageEffectiveness: Double = 1) throws {
        guard energyKWh.isFinite, energyKWh >= 0 else {
            throw AssayError("energy must be a non-negative number of kWh (got \(energyKWh))")
        }
        guard powerUsageEffectiveness.isFinite, powerUsageEffectiveness >= 1 else {
            throw AssayError("PUE must be a number of at least 1 (got \(powerUsageEffectiveness)); typical data centres report 1.1 to 1.6")
        }
        let grams = energyKWh * factor.gramsPerKWh * powerUsageEffectiveness
        // Each figure is finite, but a corrupt one near 1e308 can still make the product infinite,
        // which every chart and table downstream would have to special-case.
        guard grams.isFinite else {
            throw AssayError(
                "\(energyKWh) kWh x \(factor.gramsPerKWh) gCO2e/kWh x PUE \(powerUsageEffectiveness) is too large to be a real figure; check the energy value"
            )
        }
        self.energyKWh = energyKWh
        self.factor = factor
        self.powerUsageEffectiveness = powerUsageEffectiveness
        self.grams = grams
    }

    /// How the figure was reached, for reports.
    public var provenance: String {
        var text = "\(formatSignificant(energyKWh, digits: 6)) kWh x \(factor.citation)"
        if powerUsageEffectiveness != 1 { text += " x PUE \(formatSignificant(powerUsageEffectiveness, digits: 4))" }
        return text
    }
}
