import AssayCore
import Foundation
import Testing

@testable import AssayExport

@Suite("Results table")
struct ResultsTableTests {
    private func row(
        _ id: RunID, _ model: String, _ quantization: String?, co2: Double?, accuracy: Double = 0.5,
        factor: String = "400 gCO2e/kWh (WORLD; Ember 2023)", energy: String = "estimated"
    ) -> ResultsTableRow {
        ResultsTableRow(
            runID: id, model: model, quantization: quantization, dataset: "d", task: "t", items: 10, unparsed: 0,
            precision: 0.5, recall: 0.5, f1: 0.5, accuracy: accuracy, energyKwh: co2.map { $0 / 400 },
            energy: co2 == nil ? nil : energy, co2GramsPerRun: co2, co2GramsPerQuery: co2.map { $0 / 10 },
            emissionFactor: co2 == nil ? nil : factor)
    }

    @Test("Rows group by family in order of appearance, most precise first, with CO2 change per query")
    func grouping() throws {
        let table = ResultsTable(
            rows: [
                row(1, "phi3 Q4_0", "Q4_0", co2: 0.55),
                row(2, "llama Q8_0", "Q8_0", co2: 2.0),
                row(3, "phi3 F16", "F16", co2: 1.0),
                row(4, "phi3 Q8_0", "Q8_0", co2: nil),
            ], unparsedPolicy: UnparsedPolicy.countAsWrong.statement)
        #expect(table.groups.map(\.family) == ["phi3", "llama"])
        #expect(table.groups[0].rows.map(\.runID) == [3, 4, 1])
        #expect(table.groups[0].rows[0].co2ChangeFromBaseline == nil)
        #expect(table.groups[0].rows[1].co2ChangeFromBaseline == nil)
        let change = try #require(table.groups[0].rows[2].co2ChangeFromBaseline)
        #expect(abs(change + 0.45) < 1e-12)
        #expect(table.caption.contains("unparsed answers count as wrong"))
        #expect(table.caption.hasSuffix("Energy estimated; CO2 = energy × grid emission factor: 400 gCO2e/kWh (WORLD; Ember 2023)."))
    }

    @Test("A caption over mixed methods and grids says which run used which, and warns about the CO2 change")
    func mixedProvenance() throws {
        let measured = row(2, "phi3 Q4_0", "Q4_0", co2: 0.2, factor: "56 gCO2e/kWh (FR; Ember 2023)", energy: "measured (rapl)")
        let table = ResultsTable(rows: [row(1, "phi3 F16", "F16", co2: 1.0), measured], unparsedPolicy: "p")
        #expect(table.caption.contains("Energy estimated (run 1); measured (rapl) (run 2);"))
        #expect(table.caption.contains("400 gCO2e/kWh (WORLD; Ember 2023) (run 1); 56 gCO2e/kWh (FR; Ember 2023) (run 2)."))
        #expect(
            table.caption.hasSuffix(
                "The CO2 change of phi3 compares runs reckoned with different emission factors, so it reflects the grid as well as the quantization."
            ))
    }

    @Test("LaTeX escapes model names and names booktabs in the fragment's package comment")
    func latexEscapesAndNamesPackages() throws {
        let table = ResultsTable(rows: [row(1, "odd_model & co %", "Q4_0", co2: 1, factor: "{evil} \\input{x}")], unparsedPolicy: "p")
        let fragment = try ResultsTableWriter.render(table, format: .latex, fragment: true)
        #expect(fragment.hasPrefix("% Written by assay. Load these packages"))
        #expect(fragment.contains("%   \\usepackage{booktabs}") && fragment.contains("%   \\usepackage[T1]{fontenc}"))
        #expect(fragment.contains("odd\\_model \\& co \\%"))
        #expect(fragment.contains("\\{evil\\} \\textbackslash{}input\\{x\\}"))
        #expect(!fragment.contains("\\documentclass"))
        let document = try ResultsTableWriter.render(table, format: .latex, fragment: false)
        #expect(
            document.contains("\\documentclass") && document.contains("\\usepackage{booktabs}") && document.hasSuffix("\\end{document}\n"))
    }
}
