/// One labelled text read from a dataset file.
public struct DatasetRow: Sendable, Equatable {
    public let text: String
    /// The normalised gold label (trimmed, lowercased).
    public let label: String
    /// 1-based position among the file's data rows.
    public let row: Int
}
