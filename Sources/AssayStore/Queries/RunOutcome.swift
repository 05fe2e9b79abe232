import AssayCore

/// One run as the results table and the report see it: its predictions with the gold labels,
/// and the quantization of its model, which decides where the run sits in its model's group.
public struct RunOutcome: Sendable {
    public let predictions: RunPredictions
    public let quantization: String?

    public var runID: RunID { predictions.runID }
}
