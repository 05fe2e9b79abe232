import AssayCore

/// What importing external predictions stored.
public struct PredictionImportOutcome: Sendable, Equatable, Codable {
    public let runId: RunID
    public let modelCreated: Bool
    public let stored: Int
    /// Source rows (1-based) whose item was not found in the dataset.
    public let unmatchedRows: [Int]
    /// Source rows (1-based) naming an item that an earlier row already predicted.
    public let duplicateRows: [Int]
}
