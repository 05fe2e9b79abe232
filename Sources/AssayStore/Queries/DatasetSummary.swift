import AssayCore
import Foundation

/// What a stored dataset holds: the figures `dataset list` and `dataset show` report.
public struct DatasetSummary: Sendable, Codable, Equatable {
    public struct Conflict: Sendable, Codable, Equatable {
        public let text: String
        public let labels: [String]
    }

    public struct Duplicate: Sendable, Codable, Equatable {
        public let text: String
        public let occurrences: Int
    }

    public let id: DatasetID
    public let name: String
    public let sourcePath: String
    public let contentHash: String
    public let importedAt: Date
    public let items: Int
    public let kind: TaskKind
    /// The allowed labels in the user's order.
    public let labelOrder: [String]
    /// Label -> number of items; for multiple choice the gold option letters, and empty for the
    /// kinds whose gold is free text (exact match, code, generation).
    public let labels: [String: Int]
    /// Rows repeating an earlier row's text.
    public let duplicates: Int
    /// Distinct texts carrying more than one label.
    public let conflicting: Int
    public let duplicateTexts: [Duplicate]
    public let conflictingTexts: [Conflict]
}
