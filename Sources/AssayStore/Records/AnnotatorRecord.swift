import Foundation
import GRDB

/// A person who scores predictions.
public struct AnnotatorRecord: AssayRecord, Equatable {
    public static let databaseTableName = "annotator"

    public var id: Int64?
    public var name: String
    public var createdAt: Date

    public init(id: Int64? = nil, name: String, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
