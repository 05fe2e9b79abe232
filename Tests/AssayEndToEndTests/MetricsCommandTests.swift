import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay metrics` and `assay compare` on runs whose answers are the brief's reference vector
/// (scikit-learn: macro F1 0.698413, weighted F1 0.685714, accuracy 0.7; with answer 4 unparsed,
/// macro F1 0.746032).
struct MetricsCommandTests {
    static let labels = ["neg", "neu", "pos"]
    static let gold = "pos neg neu neu pos neg neu pos neu neg".split(separator: " ").map(String.init)
    static let answers: [String?] = "pos neg neu pos pos neu neu pos neg neg".split(separator: " ").map(String.init)

    func fixture() throws -> (MeasurementFixture, before: RunID, after: RunID) {
        let study = try MeasurementFixture(gold: Self.gold, labels: Self.labels)
        let before = try study.addRun(
            model: "llama-f16", answers: Self.answers, durationSeconds: 20, energyKWh: 0.002,
            energyMethod: .rapl, constants: ["package_domains": .number(1)],
            emissionFactor: 56, emissionSource: "Ember 2023, France")
        var unparsed = Self.answers
        unparsed[3] = nil
        let after = try study.addRun(
            model: "llama-q4_k_m", answers: unparsed, durationSeconds: 10, energyKWh: 0.001,
            energyMethod: .estimate, constants: ["cpu_watts_per_core": .number(10), "cpu_seconds": .number(360)])
        return (study, before, after)
    }

    @Test func metricsJSONMatchesScikitLearn() throws {
        let (study, before, after) = try fixture()
        let output = try study.json(["metrics", "--run", String(before), "--run", String(after), "--format", "json"])
        let runs = try #require((output as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs[0]["model"] as? String == "llama-f16")
        let accuracy = try #require(runs[0]["accuracy"] as? Double)
        let macro = try #require(runs[0]["macro"] as? [String: Any])
        let weighted = try #require(runs[0]["weighted"] as? [String: Any])
        #expect(abs(accuracy - 0.7) < 1e-9)
        #expect(abs((macro["f1"] as? Double ?? 0) - 0.698412698413) < 1e-9)
        #expect(abs((weighted["f1"] as? Double ?? 0) - 0.685714285714) < 1e-9)
        let interval = try #require(runs[0]["accuracy_ci"] as? [String: Any])
        #expect((interval["lower"] as? Double ?? 1) <= 0.7 && (interval["upper"] as? Double ?? 0) >= 0.7)
        let afterMacro = try #require(runs[1]["macro"] as? [String: Any])
        #expect(abs((afterMacro["f1"] as? Double ?? 0) - 0.746031746032) < 1e-9)
        #expect(runs[1]["unparsed"] as? Int == 1)
        let energy = try #require(runs[1]["energy"] as? [String: Any])
        #expect(energy["label"] as? String == "estimated")
        #expect((energy["constants"] as? [String: Any])?["cpu_watts_per_core"] as? Double == 10)
        let co2 = try #require(runs[0]["co2"] as? [String: Any])
        #expect(abs((co2["grams"] as? Double ?? 0) - 0.112) < 1e-12)
        #expect(abs((co2["grams_per_query"] as? Double ?? 0) - 0.0112) < 1e-12)
        #expect(co2["emission_factor_source"] as? String == "Ember 2023, France")
        // No stored factor: the world average, and the report says so.
        let defaultCO2 = try #require(runs[1]["co2"] as? [String: Any])
        #expect(defaultCO2["emission_factor"] as? Double == 481)
        #expect((defaultCO2["factor_origin"] as? String ?? "").contains("default"))
    }

    @Test func theTableStatesPolicyMethodAndSources() throws {
        let (study, _, after) = try fixture()
        let result = try study.run(["metrics", "--run", String(after)])
        #expect(result.status == 0, "\(result.stderr)")
        for expected in [
            "model llama-q4_k_m", "unparsed answers count as wrong", "macro avg", "0.7460",
            "95% CI [", "seed 20261122", "estimated", "cpu_watts_per_core=10", "gCO2e/kWh", "per query",
        ] {
            #expect(result.stdout.contains(expected), "missing '\(expected)' in:\n\(result.stdout)")
        }
        let excluded = try study.json(["metrics", "--run", String(after), "--format", "json", "--exclude-unparsed"])
        let run = try #require(((excluded as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        #expect(run["items"] as? Int == 9)
    }

    @Test func csvHasOneRowPerRunAndIntervalsAreReproducible() throws {
        let (study, _, _) = try fixture()
        let first = try study.run(["metrics", "--all", "--format", "csv", "--seed", "5", "--bootstrap", "300"])
        let second = try study.run(["metrics", "--all", "--format", "csv", "--seed", "5", "--bootstrap", "300"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        // RFC 4180, as every CSV Assay writes: each record ends in CRLF, and no bare LF is left.
        let lines = first.stdout.components(separatedBy: "\r\n")
        #expect(lines.count == 4 && lines.last == "", "\(first.stdout.debugDescription)")
        #expect(!first.stdout.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines[0].hasPrefix("run,model,dataset,task,items,unparsed,unparsed_policy,accuracy"))
        #expect(lines[2].contains(",llama-q4_k_m,sentences,sentiment,10,1,"))
    }

    @Test func compareGivesTableThreeForOnePair() throws {
        let (study, before, after) = try fixture()
        let output = try study.json(["compare", String(before), String(after), "--format", "json"])
        let view = try #require(output as? [String: Any])
        #expect(view["shared_items"] as? Int == 10)
        let metrics = try #require(view["metrics"] as? [[String: Any]])
        let macroF1 = try #require(metrics.first { $0["metric"] as? String == "macro F1" })
        #expect(abs((macroF1["difference"] as? Double ?? 0) - (0.746031746032 - 0.698412698413)) < 1e-9)
        let costs = try #require(view["costs"] as? [[String: Any]])
        let energy = try #require(costs.first { $0["metric"] as? String == "energy kWh" })
        #expect(abs((energy["relative_reduction"] as? Double ?? 0) - 0.5) < 1e-12)
        // Answer 4 went from wrong (pos for neu) to unparsed (still wrong): no discordant item.
        let mcnemar = try #require(view["mcnemar"] as? [String: Any])
        #expect(mcnemar["only_before_correct"] as? Int == 0 && mcnemar["only_after_correct"] as? Int == 0)
        #expect(mcnemar["p_value"] as? Double == 1)
        let change = try #require(view["macro_f1_change"] as? [String: Any])
        #expect(abs((change["estimate"] as? Double ?? 0) - 0.047619047619) < 1e-9)

        let latex = try study.run(["compare", String(before), String(after), "--format", "latex"])
        #expect(latex.status == 0)
        #expect(latex.stdout.contains("\\begin{tabular}{lrrr}"))
        #expect(latex.stdout.contains("Before (llama-f16) & After (llama-q4\\_k\\_m)"))
        // The CO2 rows keep their provenance in the LaTeX too.
        #expect(latex.stdout.contains("% emission factor: before 56 gCO2e/kWh"))
        #expect(latex.stdout.contains("% energy: before measured (rapl), after estimated"))
        let table = try study.run(["compare", String(before), String(after)])
        #expect(table.stdout.contains("McNemar exact"))
        #expect(table.stdout.contains("50.0%"))
        // France's grid against the world average, RAPL against an estimate: a reduction the model did not earn alone.
        #expect(table.stdout.contains("note: the runs use different emission factors"))
        #expect(table.stdout.contains("note: the two energies were obtained differently"))
    }

    @Test func badRequestsGetOneLineErrors() throws {
        let (study, _, _) = try fixture()
        let missing = try study.run(["metrics", "--run", "99"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no run with id 99; known runs: 1, 2"))
        let neither = try study.run(["metrics"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--run ID (repeatable) or --all"))
        let itself = try study.run(["compare", "1", "7"])
        #expect(itself.stderr.contains("no run with id 7"))
        let same = try study.run(["compare", "1", "1"])
        #expect(same.status == 1)
        #expect(same.stderr == "Error: both arguments name run 1; compare a baseline run with a different run (see assay metrics --all)\n")
        let zero = try study.run(["metrics", "--all", "--bootstrap", "0"])
        #expect(zero.stderr.contains("bootstrap resamples must be at least 1"))
        // Used to crash in the sampler; now refused in one line.
        let huge = try study.run(["metrics", "--all", "--bootstrap", "9223372036854775807"])
        #expect(huge.status == 1)
        #expect(huge.stderr.contains("bootstrap resamples must be at most 1000000 (got 9223372036854775807)"))
    }

    @Test func damagedCostFiguresNameTheRun() throws {
        let (study, _, after) = try fixture()
        let store = try AssayStore(path: study.database, create: false)
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "UPDATE run SET emission_factor = -3, duration_seconds = -1 WHERE id = ?", arguments: [after])
        }
        for command in [["metrics", "--run", String(after)], ["compare", "1", String(after)], ["export", "table", "--format", "csv"]] {
            let result = try study.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(
                result.stderr.hasPrefix("Error: run \(after): duration must be a non-negative number of seconds (got -1.0)"),
                "\(command): \(result.stderr)")
            #expect(result.stderr.contains("re-run it or correct its row in the run table"))
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func csvQuotesFieldsThatHoldCommas() throws {
        let (study, before, _) = try fixture()
        let result = try study.run(["metrics", "--run", String(before), "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = Array(result.stdout.components(separatedBy: "\r\n").dropLast())
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("run,model,dataset,task,items,unparsed,unparsed_policy,accuracy,") == true)
        // The policy sentence holds commas, so it is one quoted field.
        #expect(
            lines.last?.hasPrefix(
                "1,llama-f16,sentences,sentiment,10,0,\"unparsed answers count as wrong: a miss for their true class, a false positive for no class\",0.7,"
            ) == true)
    }

    @Test func rowsChangedOutsideAssayAreNamedInOneLine() throws {
        let (study, before, _) = try fixture()
        let store = try AssayStore(path: study.database, create: false)
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "UPDATE run SET started_at = 'yesterday' WHERE id = ?", arguments: [before])
        }
        let badDate = try study.run(["metrics", "--run", String(before)])
        #expect(badDate.status == 1)
        #expect(
            badDate.stderr
                == "Error: run \(before) cannot be read (could not decode Date from database value \"yesterday\" - column: \"started_at\"); the database was changed outside Assay, so restore it from a copy or re-import that data\n"
        )
        try DatabaseQueue(path: store.path).write { db in try db.execute(sql: "UPDATE dataset SET labels = 'not json'") }
        for command in [["dataset", "list"], ["dataset", "show", "sentences"]] {
            let result = try study.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("cannot be read (The given data was not valid JSON.)"), "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func excludingUnparsedSaysHowManyWereLeftOut() throws {
        let (study, _, after) = try fixture()
        let result = try study.run(["metrics", "--run", String(after), "--exclude-unparsed"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("9 of 10 items counted, 1 unparsed left out; unparsed answers are excluded"))
    }

    @Test func compareWithoutCostsSaysSoInOneLine() throws {
        let study = try MeasurementFixture(gold: Self.gold, labels: Self.labels)
        let before = try study.addRun(model: "a", answers: Self.answers)
        let after = try study.addRun(model: "b", answers: Self.gold.map { Optional($0) })
        let result = try study.run(["compare", String(before), String(after)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("cost: neither run recorded its time or energy\n"))
        #expect(!result.stdout.contains("cost (whole run)"))
    }
}
