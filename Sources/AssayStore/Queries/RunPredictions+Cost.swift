import AssayCore
import AssaySupport

extension RunPredictions {
    /// What the run cost, in total and per item, with the emission factor it was reckoned with.
    public func cost() throws -> RunCost {
        do {
            return try RunCost(
                itemCount: answers.count, durationSeconds: run.durationSeconds, energyKWh: run.energyKwh,
                energyMethod: run.energyMethod,
                storedFactor: run.emissionFactor, storedFactorSource: run.emissionFactorSource,
                region: run.emissionRegion, powerUsageEffectiveness: run.pue, scope: run.energyScope)
        } catch let error as AssayError {
            // The figures come from the database, so the run is the "where" and the fix is the run row.
            throw AssayError(
                "run \(runID): \(error.message); the run's stored cost figures are invalid, so re-run it or correct its row in the run table"
            )
        }
    }
}
