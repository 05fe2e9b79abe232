import AssayCore
import AssayEngine
import AssayStore
import AssaySupport

/// What `assay divergence --dataset` makes both models read for one item that two runs answered:
/// the chat prompt the base run sent for it, rebuilt from the run's stored task, followed by the
/// answer the base run stored (teacher forcing). Every stored answer, the assistant prefix of
/// score mode and log-likelihood choices included, is the text that followed the prompt's
/// assistant turn.
public struct TeacherForcedItem: Sendable, Equatable {
    public let itemID: ItemID
    /// The item's 1-based row in the dataset file.
    public let row: Int
    public let prompt: String
    public let answer: String

    /// Every item of `datasetName` that both `baseRun` and `modelRun` answered, in dataset order,
    /// its messages rendered in `template` (the base model's chat format).
    public static func items(
        store: AssayStore, datasetName: String, baseRun: RunID, modelRun: RunID, template: ChatTemplate
    ) throws -> [TeacherForcedItem] {
        let run = try store.run(id: baseRun)
        guard run.mode != .imported else {
            throw AssayError(
                "run \(baseRun) holds imported predictions, whose prompts Assay never saw; give as the base run one made by assay run")
        }
        let (dataset, records) = try store.items(ofDatasetNamed: datasetName)
        for (id, record) in [(baseRun, run), (modelRun, try store.run(id: modelRun))] where record.datasetId != dataset.id {
            throw AssayError("run \(id) is not over dataset '\(datasetName)'; give --dataset the dataset both runs answered")
        }
        let task = try TaskDefinition(yaml: run.taskDefinition, origin: "run \(baseRun)'s stored task")
        let items = Dictionary(try records.map { (try $0.storedID(), $0) }, uniquingKeysWith: { first, _ in first })
        let answered = try store.predictedItemIDs(inRun: modelRun)
        return try store.predictions(inRun: baseRun).compactMap { prediction in
            guard answered.contains(prediction.itemId), let item = items[prediction.itemId] else { return nil }
            let place = "dataset '\(datasetName)' row \(item.position)"
            let choices =
                task.kind == .multipleChoice
                ? try LabelledDataset.choices(
                    in: try RunPlanner.fields(item.fields, position: item.position, datasetName: datasetName),
                    field: task.multipleChoice.choicesField, place: place) : []
            let prompt = try template.render(user: task.prompt.userMessage(for: item.text, choices: choices), system: task.prompt.system)
            return TeacherForcedItem(itemID: prediction.itemId, row: item.position, prompt: prompt, answer: prediction.rawOutput)
        }
    }
}
