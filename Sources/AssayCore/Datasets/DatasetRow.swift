/// One text read from a dataset file, with its gold answer.
public struct DatasetRow: Sendable, Equatable {
    public let text: String
    /// The gold answer: a normalised label (trimmed, lower-cased) for classification, an option's
    /// letter for multiple choice, the trimmed answer or reference text otherwise; empty for code.
    public let label: String
    /// 1-based position among the file's data rows.
    public let row: Int
    /// The row's other columns (options, tests, references), kept for every kind but classification.
    public let fields: [String: String]

    public init(text: String, label: String, row: Int, fields: [String: String] = [:]) {
        self.text = text
        self.label = label
        self.row = row
        self.fields = fields
    }
}
