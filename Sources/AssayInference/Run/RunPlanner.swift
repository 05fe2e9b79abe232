import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// Finds or creates the run for a command: the same model, dataset, task, prompt, mode,
/// hyperparameters and selection continue the newest unfinished run instead of starting another.
public struct RunPlanner: Sendable {
    public let store: AssayStore

    public init(store: AssayStore) {
        self.store = store
    }

    /// What `assay run` asks for.
    public struct Request: Sendable {
        public var modelName: String
        public var datasetName: String
        public var task: TaskDefinition
        public var mode: RunMode
        public var selection: RunSelection
        /// Command-line values that override the task's (and its family's) hyperparameters.
        public var overrides: Hyperparameters
        public var threads: Int?

        public init(
            modelName: String, datasetName: String, task: TaskDefinition, mode: RunMode, selection: RunSelection,
            overrides: Hyperparameters, threads: Int?
        ) {
            self.modelName = modelName
            self.datasetName = datasetName
            self.task = task
            self.mode = mode
            self.selection = selection
            self.overrides = overrides
            self.threads = threads
        }
    }

    /// The hyperparameters a run of `request` on `model` gets: the task's, its family's for the
    /// model, then the command line's overrides.
    public static func hyperparameters(of request: Request, for model: ModelRecord) throws -> Hyperparameters {
        let hyperparameters = request.overrides.overriding(request.task.hyperparameters(for: [model.name, model.reference])).resolved
        try hyperparameters.validate(at: "the run's hyperparameters")
        return hyperparameters
    }

    public func plan(_ request: Request) throws -> RunPlan {
        let model = try store.model(named: request.modelName)
        let (dataset, items) = try store.items(ofDatasetNamed: request.datasetName)
        try Self.check(dataset, against: request.task)
        let hyperparameters = try Self.hyperparameters(of: request, for: model)
        let candidate = RunRecord(
            modelId: try model.storedID(), datasetId: try dataset.storedID(), taskName: request.task.name,
            taskDefinition: request.task.source, promptTemplate: request.task.prompt.canonicalText,
            promptHash: SHA256.hex(of: Array(request.task.prompt.canonicalText.utf8)), mode: request.mode,
            hyperparameters: hyperparameters, selection: request.selection,
            host: HostDescription.current(), threads: request.threads)
        let existing = try store.unfinishedRun(matching: candidate)
        let run = try existing ?? store.createRun(candidate)
        return try plan(
            for: run, model: model, datasetName: dataset.name, items: items, task: request.task,
            resumed: existing != nil)
    }

    /// The plan that continues run `runID` exactly as it was started.
    public func resume(runID: RunID) throws -> RunPlan {
        let run = try store.run(id: runID)
        guard run.status != .completed else {
            throw AssayError("run \(runID) is already completed; start a new run with assay run --model ... --dataset ...")
        }
        guard RunMode.runnable.contains(run.mode) else {
            throw AssayError("run \(runID) has mode '\(run.mode.rawValue)' (imported predictions) and cannot be resumed")
        }
        let model = try store.models().first { $0.id == run.modelId }
        guard let model else { throw AssayError("run \(runID): its model no longer exists") }
        let dataset = try store.datasetSummaries().first { $0.id == run.datasetId }
        guard let dataset else { throw AssayError("run \(runID): its dataset no longer exists") }
        let task = try TaskDefinition(yaml: run.taskDefinition, origin: "run \(runID)'s stored task")
        let items = try store.items(ofDatasetNamed: dataset.name).items
        return try plan(for: run, model: model, datasetName: dataset.name, items: items, task: task, resumed: true)
    }

    private func plan(
        for run: RunRecord, model: ModelRecord, datasetName: String, items: [ItemRecord], task: TaskDefinition,
        resumed: Bool
    ) throws -> RunPlan {
        let runID = try run.storedID()
        let selected = try run.selection.pick(from: items).map { record in
            let item = RunItem(
                id: try record.storedID(), text: record.text, goldLabel: record.goldLabel,
                fields: try Self.fields(record.fields, position: record.position, datasetName: datasetName))
            try TaskKindPredictor.check(item, task: task)
            return item
        }
        let done = try store.predictedItemIDs(inRun: runID)
        return RunPlan(
            runID: runID, run: run, model: model, datasetName: datasetName, task: task, mode: run.mode,
            hyperparameters: run.hyperparameters, selected: selected,
            remaining: selected.filter { !done.contains($0.id) }, resumed: resumed)
    }

    /// An item's other columns, as stored at import.
    static func fields(_ json: String?, position: Int, datasetName: String) throws -> [String: String] {
        guard let json else { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] else {
            throw AssayError(
                "dataset '\(datasetName)' row \(position): its stored columns are not a JSON object of texts; re-import the dataset")
        }
        return object
    }

    static func check(_ dataset: DatasetRecord, against task: TaskDefinition) throws {
        guard dataset.kind == task.kind else {
            throw AssayError(
                "dataset '\(dataset.name)' holds \(dataset.kind.rawValue) items but task '\(task.name)' is of kind \(task.kind.rawValue); pass --task with a \(dataset.kind.rawValue) task file (see samples/)"
            )
        }
        let missing = dataset.labels.filter { !task.labels.contains($0) }
        guard missing.isEmpty else {
            throw AssayError(
                "dataset '\(dataset.name)' has gold labels \(missing.joined(separator: ", ")) that task '\(task.name)' cannot answer (its labels: \(task.labels.joined(separator: ", "))); pass --task with a task file for this label set"
            )
        }
    }
}
