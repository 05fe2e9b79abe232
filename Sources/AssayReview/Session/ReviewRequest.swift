import AssayCore

/// Everything `assay review` and `assay adjudicate` ask for, before it is checked against the store.
public struct ReviewRequest: Sendable {
    public var annotator: String
    public var runIDs: [RunID]
    /// The rubric file's text and where it came from (for error messages).
    public var rubricDefinition: String
    public var rubricSource: String
    public var blind: Bool
    public var order: ReviewOrder
    /// Nil: derived from the annotator's name.
    public var seed: UInt64?
    public var perItem: Int?
    public var filter: String?
    public var mode: ReviewMode
    public var width: Int

    public init(
        annotator: String, runIDs: [RunID], rubricDefinition: String, rubricSource: String, blind: Bool,
        order: ReviewOrder, seed: UInt64?, perItem: Int?, filter: String?, mode: ReviewMode, width: Int
    ) {
        self.annotator = annotator
        self.runIDs = runIDs
        self.rubricDefinition = rubricDefinition
        self.rubricSource = rubricSource
        self.blind = blind
        self.order = order
        self.seed = seed
        self.perItem = perItem
        self.filter = filter
        self.mode = mode
        self.width = width
    }
}
