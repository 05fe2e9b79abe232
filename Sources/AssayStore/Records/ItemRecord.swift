import AssayCore
import GRDB

/// One text of a dataset with its gold answer.
public struct ItemRecord: AssayRecord, Equatable {
    public static let databaseTableName = "item"

    public var id: ItemID?
    public var datasetId: DatasetID
    /// 1-based row in the source file.
    public var position: Int
    public var text: String
    public var goldLabel: String
    /// SHA-256 of the text, used to match predictions made elsewhere to items.
    public var textHash: String
    /// JSON object of the row's other columns (options, tests, references); nil for classification.
    public var fields: String?

    public init(
        id: ItemID? = nil, datasetId: DatasetID, position: Int, text: String, goldLabel: String, textHash: String, fields: String? = nil
    ) {
        self.id = id
        self.datasetId = datasetId
        self.position = position
        self.text = text
        self.goldLabel = goldLabel
        self.textHash = textHash
        self.fields = fields
    }
}
