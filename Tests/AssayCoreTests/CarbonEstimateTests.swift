import Testing
@testable import AssayCore

struct CarbonEstimateTests {
    @Test func gramsAreEnergyTimesFactorTimesPUE() throws {
        let france = try EmissionFactors.factor(for: "fr")
        #expect(france.gramsPerKWh == 56 && france.year == 2023 && france.region == "FR")
        let estimate = try CarbonEstimate(energyKWh: 2, factor: france, powerUsageEffectiveness: 1.5)
        #expect(estimate.grams == 168)
        #expect(estimate.provenance.contains("Ember"))
        #expect(estimate.provenance.contains("PUE 1.5"))
    }

    @Test func theWorldAverageIsTheDefault() {
        #expect(EmissionFactors.worldAverage.gramsPerKWh == 481)
        #expect(EmissionFactors.table["WORLD"] == EmissionFactors.worldAverage)
        #expect(EmissionFactors.table.values.allSatisfy { !$0.source.isEmpty && ($0.year ?? 0) >= 2020 })
    }

    @Test func badInputIsRejected() throws {
        #expect(throws: AssayError.self) { try EmissionFactors.factor(for: "atlantis") }
        #expect(throws: AssayError.self) { try EmissionFactor(gramsPerKWh: -1, source: "x", year: 2024, region: "X") }
        #expect(throws: AssayError.self) { try CarbonEstimate(energyKWh: 1, factor: EmissionFactors.worldAverage, powerUsageEffectiveness: 0.5) }
    }
}
