import AssayCore
import Foundation
import GRDB

/// A named, imported dataset.
public struct DatasetRecord: AssayRecord, Equatable {
    public static let databaseTableName = "dataset"

    public var id: DatasetID?
    public var name: String
    public var sourcePath: String
    public var format: DatasetFormat
    public var kind: TaskKind
    public var textColumn: String
    public var labelColumn: String
    /// The allowed labels, in the user's order (stored as a JSON array).
    public var labels: [String]
    public var contentHash: String
    public var importedAt: Date

    public init(
        id: DatasetID? = nil, name: String, sourcePath: String, format: DatasetFormat, textColumn: String,
        labelColumn: String, labels: [String], contentHash: String, kind: TaskKind = .classification, importedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.sourcePath = sourcePath
        self.format = format
        self.kind = kind
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.labels = labels
        self.contentHash = contentHash
        self.importedAt = importedAt
    }
}
