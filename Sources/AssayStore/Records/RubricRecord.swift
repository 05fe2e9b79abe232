import AssayCore
import GRDB

/// A version of a scoring rubric, stored whole so that every score can be read against the rubric it used.
public struct RubricRecord: AssayRecord, Equatable {
    public static let databaseTableName = "rubric"

    public var id: RubricID?
    public var name: String
    public var version: String
    /// The rubric file's text.
    public var definition: String
    public var contentHash: String

    public init(id: RubricID? = nil, name: String, version: String, definition: String, contentHash: String) {
        self.id = id
        self.name = name
        self.version = version
        self.definition = definition
        self.contentHash = contentHash
    }
}
