import AssayCore
import Foundation
import GRDB

/// A person who scores predictions.
public struct AnnotatorRecord: AssayRecord, Equatable {
    public static let databaseTableName = "annotator"

    public var id: AnnotatorID?
    public var name: String
    public var createdAt: Date

    public init(id: AnnotatorID? = nil, name: String, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
