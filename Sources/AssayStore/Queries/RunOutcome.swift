import AssayCore

/// One run as the results table and the report see it: its predictions with the gold labels,
/// and the quantization of its model, which decides where the run sits in its model's group.
public struct RunOutcome: Sendable {
    public let predictions: RunPredictions
    public let quantization: String?
    /// The model's parameter count where known: which model of a task is the large one.
    public let parameterCount: Int64?

    public var runID: RunID { predictions.runID }
}
