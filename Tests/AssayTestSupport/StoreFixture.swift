import AssayCore
import AssayStore
import Foundation

/// A small study built through the store's own API: a three-item dataset, one embedded model and
/// one run over the items, for tests below the binary.
public enum StoreFixture {
    public static let csv = "text,label\nProfit rose sharply,positive\nSales fell,negative\nThe board met,neutral\n"

    /// Imports the dataset and registers the model (once per store), then creates a run with
    /// `selection` and returns its id.
    @discardableResult
    public static func run(
        in store: AssayStore, selection: RunSelection = RunSelection(),
        hyperparameters: Hyperparameters = Hyperparameters(maxTokens: 8)
    ) throws -> RunID {
        let dataset = try LabelledDataset(bytes: Array(csv.utf8), source: "fixture.csv", format: .csv)
        _ = try store.importDataset(dataset, name: "fixture", sourcePath: "fixture.csv", format: .csv, replace: false)
        let (model, _) = try store.addModel(ModelRecord(name: "fixture-model", backend: .embedded, reference: "/models/fixture.gguf"))
        let summary = try store.datasetSummary(named: "fixture")
        let run = try store.createRun(
            RunRecord(
                modelId: try model.storedID(), datasetId: summary.id, taskName: "fixture-task", taskDefinition: "name: fixture-task",
                promptTemplate: "{text}", promptHash: "hash", mode: .generate, hyperparameters: hyperparameters,
                selection: selection, host: "test host"))
        return try run.storedID()
    }
}
