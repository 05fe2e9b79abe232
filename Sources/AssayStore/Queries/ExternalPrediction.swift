import AssayCore

/// A prediction made outside Assay, read from a file and not yet matched to an item.
public struct ExternalPrediction: Sendable, Equatable {
    /// How the prediction names its item.
    public enum ItemKey: Sendable, Equatable, Hashable {
        /// The item's exact text.
        case text(String)
        /// The item's 1-based row in the dataset file (`row` in `assay predictions export`).
        case row(Int)
    }

    public var key: ItemKey
    /// 1-based record number in the source file, for the unmatched-rows report.
    public var sourceRow: Int
    public var label: String?
    public var parseStatus: ParseStatus
    public var reasoning: String?
    public var rawOutput: String

    public init(
        key: ItemKey, sourceRow: Int, label: String?, parseStatus: ParseStatus,
        reasoning: String?, rawOutput: String
    ) {
        self.key = key
        self.sourceRow = sourceRow
        self.label = label
        self.parseStatus = parseStatus
        self.reasoning = reasoning
        self.rawOutput = rawOutput
    }
}
