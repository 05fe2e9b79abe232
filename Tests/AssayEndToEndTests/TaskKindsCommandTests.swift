import AssayTestSupport
import Foundation
import Testing

/// One run of each task kind past classification on the bundled samples with SmolLM2, then the
/// figures in `metrics`, `compare`, `export table` and `report`.
@Suite(.serialized)
struct TaskKindsCommandTests {
    static let model = SharedFiles.smolLM2?.path ?? ""

    /// (kind, dataset file, task file, dataset name, the figures its metrics must report).
    static let kinds: [(String, String, String, String, [String])] = [
        ("multiple_choice", "samples/choice-questions.jsonl", "samples/choice-task.yaml", "choices", ["acc", "acc_norm"]),
        ("exact_match", "samples/arithmetic-questions.jsonl", "samples/arithmetic-task.yaml", "arithmetic", ["exact_match"]),
        ("code", "samples/python-problems.jsonl", "samples/code-task.yaml", "python", ["pass@1"]),
        ("generation", "samples/news-summaries.jsonl", "samples/generation-task.yaml", "summaries", ["rouge_l", "token_f1"]),
    ]

    static func json(_ result: AssayBinary.Result) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func everyKindRunsOnTheEmbeddedModelAndIsReported() throws {
        let study = try StudyFolder()
        try #require(try study.assay(["model", "add", "smollm2", "--gguf", Self.model]).status == 0)
        var runIDs: [String: Int] = [:]
        for (kind, data, task, name, figures) in Self.kinds {
            let imported = try study.assay(["dataset", "import", SharedFiles.projectFile(data).path, "--name", name, "--kind", kind])
            #expect(imported.status == 0, "\(kind) import: \(imported.stderr)")
            let run = try study.runSummary(
                try study.assay([
                    "run", "--model", "smollm2", "--dataset", name, "--task", SharedFiles.projectFile(task).path, "--limit", "4", "--json",
                ]))
            let runID = try #require(run["run_id"] as? Int)
            runIDs[kind] = runID
            let view = try study.metricsView(run: runID)
            #expect(view["kind"] as? String == kind)
            #expect(view["macro"] == nil && view["confusion_matrix"] == nil, "\(kind) has no classification figures")
            let quality = try #require(view["quality"] as? [[String: Any]])
            #expect(quality.map { $0["metric"] as? String } == figures, "\(kind)")
            for figure in quality {
                let value = try #require(figure["value"] as? Double)
                let ci = try #require(figure["ci"] as? [String: Any])
                #expect((0...1).contains(value))
                #expect((ci["lower"] as? Double ?? 2) <= value && value <= (ci["upper"] as? Double ?? -1))
            }
            // Every prediction carries its scored outcome, with a value for each figure.
            let predictions = try study.predictions(run: runID)
            #expect(predictions.count == 4)
            for prediction in predictions {
                let outcome = try #require(prediction["outcome"] as? [String: Any], "\(kind) prediction without outcome")
                let scores = try #require(outcome["scores"] as? [String: Double])
                #expect(Set(scores.keys) == Set(figures))
            }
            #expect(view["co2"] != nil || view["energy_not_measured"] != nil)
        }
        // The code run ran each program in the sandbox and stored how it ended.
        let code = try study.predictions(run: try #require(runIDs["code"]))
        for prediction in code {
            let samples = try #require((prediction["outcome"] as? [String: Any])?["samples"] as? [[String: Any]])
            #expect(samples.count == 1)
            #expect(["passed", "failed", "timed_out", "signal", "output_limit"].contains(samples[0]["verdict"] as? String ?? ""))
            #expect(samples[0]["isolation"] as? String == "namespaces+rlimits")
            #expect(!(samples[0]["reason"] as? String ?? "").isEmpty)
        }

        // A second exact-match run, greedy with fewer tokens, compared with the first: McNemar on exact match.
        let second = try study.runSummary(
            try study.assay([
                "run", "--model", "smollm2", "--dataset", "arithmetic", "--task",
                SharedFiles.projectFile("samples/arithmetic-task.yaml").path,
                "--limit", "4", "--max-tokens", "32", "--json",
            ]))
        let secondID = try #require(second["run_id"] as? Int)
        let comparison = try Self.json(
            try study.assay(["compare", String(try #require(runIDs["exact_match"])), String(secondID), "--format", "json"]))
        let tests = try #require(comparison["quality_tests"] as? [[String: Any]])
        #expect(tests.map { $0["metric"] as? String } == ["exact_match"])
        #expect(tests.first?["mcnemar"] != nil && tests.first?["change"] != nil)
        #expect(comparison["mcnemar"] == nil)
        let text = try study.assay(["compare", String(try #require(runIDs["exact_match"])), String(secondID)])
        #expect(text.status == 0 && text.stdout.contains("McNemar exact on exact_match") && text.stdout.contains("delta exact_match"))

        // The task-by-model table names every task and its headline figure.
        let table = try study.assay(["export", "table", "--format", "markdown"])
        #expect(table.status == 0, "\(table.stderr)")
        for (name, heading) in [
            ("general-choice", "accuracy"), ("arithmetic-reasoning", "exact match"), ("python-functions", "pass@1"),
            ("news-summary", "ROUGE-L F"),
        ] {
            #expect(table.stdout.contains("| \(name) |") && table.stdout.contains(heading), "\(name) in \(table.stdout)")
        }
        let csv = try study.assay(["export", "table", "--table", "tasks", "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.split(separator: "\r\n").count == 1 + 5)
        if ExportArtifacts.pdflatex != nil {
            let document = study.folder.path("tasks.tex")
            #expect(try study.assay(["export", "table", "--format", "latex", "--out", document]).status == 0)
            let compiled = try ExportArtifacts.compile(document)
            #expect(compiled.status == 0, "pdflatex failed:\n\(compiled.log.suffix(1500))")
            let fragment = try study.assay(["export", "table", "--table", "tasks", "--format", "latex", "--fragment"])
            try study.folder.write("fragment.tex", fragment.stdout)
            let paper = try study.folder.write("paper.tex", PaperWrapper.wrap(fragment.stdout))
            #expect(try ExportArtifacts.compile(paper).status == 0, "the task table's fragment does not compile")
            try ExportArtifacts.keep([document, compiled.pdf.path])
        } else {
            #expect(!SharedFiles.isCI, "CI must compile the task table with pdflatex")
        }
        let results = try study.assay(["export", "table", "--table", "results", "--format", "csv"])
        #expect(results.status != 0 && results.stderr.contains("none of these runs is a classification"))

        // The report: the task table, and one quality-versus-CO2 chart per task.
        let page = study.folder.path("report.html")
        let report = try study.assay(["report", "--out", page])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<h2>Tasks by model</h2>"))
        for name in ["general-choice", "arithmetic-reasoning", "python-functions", "news-summary"] {
            #expect(html.contains("<h3>\(name): "), "no chart for \(name)")
        }
        #expect(!html.contains("<h2>Confusion matrices"))
        try ExportArtifacts.keep([page, study.database])
    }

    /// Gemma 3 270M beside SmolLM2 135M on every kind: the task table divides each SmolLM2 figure by
    /// Gemma's (the model with more parameters), as the second paper's small/large ratios.
    @Test(.enabled(if: SharedFiles.modelTestsEnabled && CachedModels.gemma3TestsEnabled, "needs SmolLM2 and Gemma 3 270M"))
    func gemma3RunsEveryKindAndIsTheTaskTablesLargeModel() throws {
        let gemma = try #require(CachedModels.gemma3, "the Gemma 3 model is not cached; run assay model fetch gemma3-270m")
        let study = try StudyFolder()
        try #require(try study.assay(["model", "add", "smollm2", "--gguf", Self.model]).status == 0)
        try #require(try study.assay(["model", "add", "gemma3", "--gguf", gemma.path]).status == 0)
        for (kind, data, task, name, _) in Self.kinds {
            try #require(
                try study.assay(["dataset", "import", SharedFiles.projectFile(data).path, "--name", name, "--kind", kind]).status == 0)
            for model in ["smollm2", "gemma3"] {
                let run = try study.assay([
                    "run", "--model", model, "--dataset", name, "--task", SharedFiles.projectFile(task).path, "--limit", "2", "--json",
                ])
                #expect(try study.runSummary(run)["status"] as? String == "completed", "\(model) on \(kind)")
            }
        }
        let table = try Self.json(try study.assay(["export", "table", "--table", "tasks", "--format", "json"]))
        let tasks = try #require(table["tasks"] as? [[String: Any]])
        #expect(tasks.count == 4)
        for task in tasks {
            let rows = try #require(task["rows"] as? [[String: Any]])
            let reference = try #require(task["reference_run_id"] as? Int)
            let large = try #require(rows.first { $0["run_id"] as? Int == reference })
            #expect(large["model"] as? String == "gemma3", "\(task["task"] ?? "")")
            #expect(task["reference_basis"] as? String == "most parameters")
            let small = try #require(rows.first { $0["model"] as? String == "smollm2" })
            if let smallCO2 = small["co2_grams_per_query"] as? Double, let largeCO2 = large["co2_grams_per_query"] as? Double {
                #expect(abs((small["co2_ratio"] as? Double ?? -1) - smallCO2 / largeCO2) < 1e-12)
            }
        }
        let page = study.folder.path("report-two-models.html")
        #expect(try study.assay(["report", "--out", page]).status == 0)
        try ExportArtifacts.keep([page])
    }
}
