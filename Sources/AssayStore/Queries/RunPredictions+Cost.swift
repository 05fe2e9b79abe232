import AssayCore

extension RunPredictions {
    /// What the run cost, in total and per item, with the emission factor it was reckoned with.
    public func cost() throws -> RunCost {
        try RunCost(
            itemCount: answers.count, durationSeconds: run.durationSeconds, energyKWh: run.energyKwh,
            energyMethod: run.energyMethod,
            storedFactor: run.emissionFactor, storedFactorSource: run.emissionFactorSource,
            region: run.emissionRegion, powerUsageEffectiveness: run.pue)
    }
}
