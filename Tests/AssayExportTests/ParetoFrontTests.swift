import Testing

@testable import AssayExport

@Suite("Pareto front")
struct ParetoFrontTests {
    @Test("Keeps the runs no other beats on both CO2 and accuracy, cheapest first")
    func front() {
        let points: [(co2: Double, accuracy: Double)] = [(105, 1.0), (60, 0.625), (150, 0.75), (70, 0.5), (60, 0.6), (105, 1.0)]
        // (60, 0.6) loses to (60, 0.625); equal points do not dominate each other.
        #expect(ParetoFront.indices(of: points) == [1, 0, 5])
        #expect(ParetoFront.indices(of: []) == [])
    }
}
