import AssaySupport

/// What a run cost: time, energy (with how it was obtained) and CO2e (with the factor used),
/// in total and per item.
public struct RunCost: Sendable, Equatable {
    public let itemCount: Int
    public let durationSeconds: Double?
    public let energyKWh: Double?
    /// Nil when no energy was recorded.
    public let energyMethod: EnergyMethod?
    public let carbon: CarbonEstimate?
    /// Where the emission factor came from: stored with the run, or Assay's default.
    public let factorOrigin: String?
    /// Where the inference ran; nil for runs recorded before Assay stored it.
    public let scope: EnergyScope?

    /// Recomputes CO2e from the run's energy with the factor stored with the run, else the
    /// factor of its stored region, else the world average (and says which).
    public init(
        itemCount: Int, durationSeconds: Double?, energyKWh: Double?, energyMethod: EnergyMethod?,
        storedFactor: Double?, storedFactorSource: String?,
        region: String?, powerUsageEffectiveness: Double?, scope: EnergyScope? = nil
    ) throws {
        if let durationSeconds, !(durationSeconds.isFinite && durationSeconds >= 0) {
            throw AssayError("duration must be a non-negative number of seconds (got \(durationSeconds))")
        }
        self.itemCount = itemCount
        self.durationSeconds = durationSeconds
        self.energyKWh = energyKWh
        self.energyMethod = energyMethod
        self.scope = scope
        guard let energyKWh else {
            carbon = nil
            factorOrigin = nil
            return
        }
        let factor: EmissionFactor
        if let storedFactor {
            factor = try EmissionFactor(
                gramsPerKWh: storedFactor, source: storedFactorSource ?? "stored with the run, source not recorded",
                year: nil, region: region ?? "region not recorded")
            factorOrigin = "stored with the run"
        } else if let region, let known = try? EmissionFactors.factor(for: region) {
            factor = known
            factorOrigin = "Assay's table, for the run's region"
        } else {
            factor = EmissionFactors.worldAverage
            factorOrigin = "Assay's default (world average): the run stored no emission factor"
        }
        carbon = try CarbonEstimate(energyKWh: energyKWh, factor: factor, powerUsageEffectiveness: powerUsageEffectiveness ?? 1)
    }

    /// "estimated, local server" or "measured (rapl)": what a report prints beside the energy;
    /// "not measured (remote server)" where a run has no figure because of where it ran.
    public var energyLabel: String? {
        guard let energyMethod, energyKWh != nil else { return scope?.notMeasuredLabel }
        return scope.map { "\(energyMethod.label), \($0.label)" } ?? energyMethod.label
    }

    /// Why there is no energy or CO2 figure ("not measured (remote server)"), or nil when there is one.
    public var notMeasuredReason: String? {
        energyKWh == nil ? (scope?.notMeasuredLabel ?? "not recorded") : nil
    }

    public var secondsPerItem: Double? { perItem(durationSeconds) }
    public var kWhPerItem: Double? { perItem(energyKWh) }
    public var gramsPerItem: Double? { perItem(carbon?.grams) }

    private func perItem(_ total: Double?) -> Double? {
        guard let total, itemCount > 0 else { return nil }
        return total / Double(itemCount)
    }
}
