import GRDB

/// One labelled text of a dataset.
public struct ItemRecord: AssayRecord, Equatable {
    public static let databaseTableName = "item"

    public var id: Int64?
    public var datasetId: Int64
    /// 1-based row in the source file.
    public var position: Int
    public var text: String
    public var goldLabel: String
    /// SHA-256 of the text, used to match predictions made elsewhere to items.
    public var textHash: String

    public init(id: Int64? = nil, datasetId: Int64, position: Int, text: String, goldLabel: String, textHash: String) {
        self.id = id
        self.datasetId = datasetId
        self.position = position
        self.text = text
        self.goldLabel = goldLabel
        self.textHash = textHash
    }
}
