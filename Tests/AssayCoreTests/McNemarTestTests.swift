import Testing

@testable import AssayCore

/// p-values from statsmodels' `mcnemar(table, exact=True)`, printed by scripts/reference-values.py.
struct McNemarTestTests {
    @Test func matchesStatsmodels() {
        let cases: [([Int], Double)] = [
            ([50, 5, 15, 30], 0.041389465332),
            ([10, 0, 0, 7], 1),
            ([3, 40, 60, 2], 0.056887933641),
        ]
        for (table, expected) in cases {
            let test = McNemarTest(bothCorrect: table[0], onlyBeforeCorrect: table[1], onlyAfterCorrect: table[2], bothWrong: table[3])
            #expect(abs(test.pValue - expected) < 1e-9, "table \(table)")
        }
    }

    @Test func countsTheDiscordantItemsOfTwoRuns() throws {
        let labels = ["neg", "pos"]
        let before = try LabeledPredictions(truth: ["neg", "pos", "pos", "neg"], predicted: ["neg", "neg", nil, "pos"], labels: labels)
        let after = try LabeledPredictions(truth: ["neg", "pos", "pos", "neg"], predicted: ["pos", "pos", "pos", "pos"], labels: labels)
        let test = try McNemarTest(before: before, after: after)
        #expect(test.bothCorrect == 0 && test.onlyBeforeCorrect == 1 && test.onlyAfterCorrect == 2 && test.bothWrong == 1)
        #expect(test.itemCount == 4)
    }
}
