import AssaySupport
import Testing

@testable import AssayCore

struct CarbonEstimateTests {
    @Test func gramsAreEnergyTimesFactorTimesPUE() throws {
        let france = try EmissionFactors.factor(for: "fr")
        #expect(france.gramsPerKWh == 56.039 && france.year == 2023 && france.region == "FR")
        let estimate = try CarbonEstimate(energyKWh: 2, factor: france, powerUsageEffectiveness: 1.5)
        #expect(abs(estimate.grams - 168.117) < 1e-9)
        #expect(estimate.provenance.contains("Ember"))
        #expect(estimate.provenance.contains("PUE 1.5"))
    }

    @Test func theWorldAverageIsTheDefault() throws {
        #expect(EmissionFactors.worldAverage.gramsPerKWh == 481)
        #expect(try EmissionFactors.factor(for: "WORLD") == EmissionFactors.worldAverage)
    }

    @Test func badInputIsRejected() throws {
        #expect(throws: AssayError.self) { try EmissionFactors.factor(for: "atlantis") }
        #expect(throws: AssayError.self) { try EmissionFactor(gramsPerKWh: -1, source: "x", year: 2024, region: "X") }
        #expect(throws: AssayError.self) {
            try CarbonEstimate(energyKWh: 1, factor: EmissionFactors.worldAverage, powerUsageEffectiveness: 0.5)
        }
        #expect(throws: AssayError.self) { try CarbonEstimate(energyKWh: 1e306, factor: EmissionFactors.worldAverage) }
        #expect(throws: AssayError.self) {
            try RunCost(
                itemCount: 1, durationSeconds: -1, energyKWh: nil, energyMethod: nil, storedFactor: nil,
                storedFactorSource: nil, region: nil, powerUsageEffectiveness: nil)
        }
    }
}
