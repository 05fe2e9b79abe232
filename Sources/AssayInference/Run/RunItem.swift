import AssayCore

/// One item a run predicts: its id, its text, its gold answer and, past classification, its
/// other columns (options, tests, references).
public struct RunItem: Sendable, Equatable {
    public let id: ItemID
    public let text: String
    public let goldLabel: String
    public let fields: [String: String]

    public init(id: ItemID, text: String, goldLabel: String = "", fields: [String: String] = [:]) {
        self.id = id
        self.text = text
        self.goldLabel = goldLabel
        self.fields = fields
    }
}
