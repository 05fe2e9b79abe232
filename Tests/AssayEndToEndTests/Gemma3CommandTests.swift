import AssayTestSupport
import Foundation
import Testing

/// Gemma 3 270M (`assay model fetch gemma3-270m`) through the binary: `run --mode score` on the
/// bundled samples with the built-in task. The file has no chat template, so the Gemma format comes
/// from its vocabulary's turn markers.
@Suite struct Gemma3CommandTests {
    @Test(.enabled(if: CachedModels.gemma3TestsEnabled, "needs gemma-3-270m (assay model fetch gemma3-270m)"))
    func scoreModeRunsOnTheSamples() throws {
        let model = try #require(CachedModels.gemma3, "the Gemma 3 model is not cached; run assay model fetch gemma3-270m")
        let study = try StudyFolder()
        #expect(try study.assay(["model", "add", "gemma3", "--gguf", model.path]).status == 0)
        let samples = SharedFiles.projectFile("samples/financial-sentences.csv").path
        #expect(try study.assay(["dataset", "import", samples, "--name", "samples"]).status == 0)
        let run = try study.assay([
            "run", "--model", "gemma3", "--dataset", "samples", "--mode", "score", "--limit", "3",
            "--threads", "2", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try study.runSummary(run)["status"] as? String == "completed")
        let predictions = try study.predictions()
        #expect(predictions.count == 3)
        for prediction in predictions {
            // Score mode always picks one of the labels, then generates the reasoning after it.
            #expect(
                ["positive", "negative", "neutral"].contains(prediction["label"] as? String ?? ""),
                "\(prediction)")
        }
    }
}
