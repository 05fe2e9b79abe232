import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Reviewing a code prediction in a real terminal (tmux) under the code rubric: the problem and
/// the program are shown line-numbered with their indentation, the test result beside them.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux"))
struct ReviewCodeTerminalTests {
    static let prompt = "def total(values: list) -> int:\n    \"\"\"Return the sum of the values.\"\"\"\n"
    static let completion = """
        Here is the function:
        ```python
        def total(values: list) -> int:
            result = 0
            for value in values:
                if value > 0:
                    result += value
            return result
        ```
        It adds the positive values.
        """

    /// A study holding one code run with one prediction whose program failed its tests.
    static func study(in folder: TemporaryFolder) throws -> (path: String, runID: RunID) {
        let path = folder.path("study.sqlite")
        let store = try AssayStore(path: path, create: true)
        let row =
            "{\"prompt\": \(Self.quoted(prompt)), \"test\": \"def check(f):\\n    assert f([1, -2]) == -1\\n\", \"entry_point\": \"total\"}\n"
        let dataset = try LabelledDataset(bytes: Array(row.utf8), source: "problems.jsonl", format: .jsonl, kind: .code)
        _ = try store.importDataset(dataset, name: "problems", sourcePath: "problems.jsonl", format: .jsonl, replace: false)
        let (model, _) = try store.addModel(ModelRecord(name: "coder", backend: .imported, reference: "coder"))
        let (datasetRecord, items) = try store.items(ofDatasetNamed: "problems")
        let run = try store.createRun(
            RunRecord(
                modelId: try model.storedID(), datasetId: try datasetRecord.storedID(), taskName: "python-functions",
                taskDefinition: "(test)", promptTemplate: "{text}", promptHash: "test", mode: .generate, hyperparameters: Hyperparameters(),
                selection: RunSelection(), host: "test"))
        let runID = try run.storedID()
        let execution = CodeExecution(
            completion: completion, verdict: "failed", reason: "exit status 1: AssertionError", exitStatus: 1, signal: nil, seconds: 0.04,
            stdoutTail: "",
            stderrTail: "Traceback (most recent call last):\n  File \"program.py\", line 12, in <module>\nAssertionError",
            isolation: "namespaces+rlimits")
        let outcome = ItemOutcome(scores: ["pass@1": 0], samples: [execution])
        try store.savePredictions(
            [
                PredictionRecord(
                    runId: runID, itemId: try items[0].storedID(), label: "fail", reasoning: completion, rawOutput: completion,
                    parseStatus: .parsed, outcome: outcome.jsonText)
            ], runID: runID, measuredSeconds: 1, energyKwh: nil)
        try store.setRunStatus(.completed, runID: runID)
        return (path, runID)
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }

    @Test func aCodePredictionIsShownAsNumberedCodeWithItsTestResultAndScoredUnderTheCodeRubric() throws {
        let folder = try TemporaryFolder(prefix: "assay-review-code")
        let study = try Self.study(in: folder)
        let rubric = SharedFiles.projectFile("rubrics/code-review.yaml").path
        let command =
            [
                "env", "XDG_DATA_HOME=\(folder.path("xdg"))", AssayBinary.url.path, "review", "--annotator", "carol",
                "--order", "sequential", "--db", study.path, "--rubric", rubric,
            ].map { "'\($0)'" }.joined(separator: " ")
        let pane = try ReviewTerminalTests.TmuxPane(command: command + "; echo REVIEW-EXITED-$?", configuration: folder.path("tmux.conf"))
        defer { pane.close() }
        #expect(try pane.wait(for: "review> "))
        let screen = try pane.screen()
        // The program's lines keep their indentation under their numbers.
        for line in [
            "1 │ def total(values: list) -> int:", "3 │     for value in values:", "4 │         if value > 0:",
            "5 │             result += value", "6 │     return result",
        ] {
            #expect(screen.contains(line), "missing \(line) in\n\(screen)")
        }
        #expect(screen.contains("Problem"), "\(screen)")
        #expect(screen.contains("Tests      failed, exit status 1"), "\(screen)")
        #expect(screen.contains("AssertionError"))
        #expect(screen.contains("Explanation Here is the function: It adds the positive values."), "\(screen)")
        #expect(screen.contains("correctness"))
        try pane.type("2 4 1 skips negative values")
        try pane.press("Enter")
        #expect(try pane.wait(for: "saved: correctness 2 · readability 4 · explanation 1 · \"skips negative values\""))
        try pane.type("quit")
        try pane.press("Enter")
        #expect(try pane.wait(for: "REVIEW-EXITED-0"))

        let stored = try AssayStore(path: study.path, create: false).scoreExportRows()
        #expect(stored.count == 1)
        #expect(stored.first?.criteria == ["correctness": .number(2), "readability": .number(4), "explanation": .number(1)])
        #expect(stored.first?.comment == "skips negative values")
        #expect(stored.first?.rubricName == "code-review")
    }
}
