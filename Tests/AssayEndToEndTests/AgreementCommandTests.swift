import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay agreement` on scores stored for real predictions; reference values from scikit-learn's
/// `cohen_kappa_score` and the `krippendorff` package (scripts/reference-values.py).
struct AgreementCommandTests {
    @Test func cohenAndKrippendorffFromStoredScores() throws {
        let gold = Array(repeating: "pos", count: 12)
        let study = try MeasurementFixture(gold: gold, labels: ["neg", "pos"])
        let run = try study.addRun(model: "m", answers: gold)
        try study.addScores(
            runID: run, criterion: "clarity",
            byAnnotator: [
                "alice": [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 4],
                "bob": [1, 3, 3, 5, 5, 2, 2, 4, 4, 2, 3, 3],
            ], adjudicator: "carol")
        let output = try study.json(["agreement", "--json"])
        let view = try #require((output as? [[String: Any]])?.first)
        #expect(view["criterion"] as? String == "clarity")
        #expect(view["items"] as? Int == 12)
        #expect(view["coders"] as? [String] == ["alice", "bob"])
        func value(_ key: String) -> Double? { (view[key] as? [String: Any])?["value"] as? Double }
        #expect(abs((value("cohen_kappa") ?? 0) - 0.368421052632) < 1e-6)
        #expect(abs((value("cohen_kappa_linear") ?? 0) - 0.647058823529) < 1e-6)
        #expect(abs((value("cohen_kappa_quadratic") ?? 0) - 0.841409691630) < 1e-6)
        #expect(value("krippendorff_alpha_interval") != nil)

        let table = try study.run(["agreement", "--run", String(run), "--criterion", "clarity"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("quality 1 / clarity"))
        #expect(table.stdout.contains("0.3684"))
    }

    @Test func identicalScoresAreUndefinedNotNaN() throws {
        let gold = ["pos", "pos", "neg"]
        let study = try MeasurementFixture(gold: gold, labels: ["neg", "pos"])
        let run = try study.addRun(model: "m", answers: gold)
        try study.addScores(
            runID: run, criterion: "alignment", byAnnotator: ["alice": [3, 3, 3], "bob": [3, 3, 3], "carol": [3, nil, 3]])
        let result = try study.run(["agreement"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.lowercased().contains("nan"))
        #expect(result.stdout.contains("undefined, every score is identical"))
        let output = try study.json(["agreement", "--json"])
        let view = try #require((output as? [[String: Any]])?.first)
        let alpha = try #require(view["krippendorff_alpha_nominal"] as? [String: Any])
        #expect(alpha["value"] == nil || alpha["value"] is NSNull)
        #expect((alpha["undefined_reason"] as? String ?? "").contains("identical"))
        let missing = try study.run(["agreement", "--criterion", "nonexistent"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no annotation scores for criterion 'nonexistent'"))
    }

    @Test func criteriaChangedOutsideAssayNameTheScore() throws {
        let gold = ["pos", "neg"]
        let study = try MeasurementFixture(gold: gold, labels: ["neg", "pos"])
        let run = try study.addRun(model: "m", answers: gold)
        try study.addScores(runID: run, criterion: "clarity", byAnnotator: ["alice": [3, 4], "bob": [3, 5]])
        let store = try AssayStore(path: study.database, create: false)
        try DatabaseQueue(path: store.path).write { db in try db.execute(sql: "UPDATE score SET criteria = '[1, 2]' WHERE id = 2") }
        let result = try study.run(["agreement"])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "Error: score 2: its criteria are not a JSON object of numbers and names; the database was changed outside Assay, so restore it from a copy or re-import that data\n"
        )
    }
}
