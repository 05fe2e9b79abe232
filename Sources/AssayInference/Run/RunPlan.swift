import AssayCore
import AssayStore

/// A run ready to execute: its record, what it runs, and the items still without a prediction.
public struct RunPlan: Sendable {
    public let runID: RunID
    public let run: RunRecord
    public let model: ModelRecord
    public let datasetName: String
    public let task: TaskDefinition
    public let mode: RunMode
    public let hyperparameters: Hyperparameters
    /// The selection's items in order.
    public let selected: [RunItem]
    /// The selected items without a prediction yet, in order.
    public let remaining: [RunItem]
    /// Whether an unfinished run was found and is being continued.
    public let resumed: Bool
}
