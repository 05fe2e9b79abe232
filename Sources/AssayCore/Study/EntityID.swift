/// The integer key of one stored row, typed by what it identifies, so that a run's id cannot be
/// passed where an item's is expected. It encodes as the bare integer.
public struct EntityID<Entity>: RawRepresentable, Hashable, Comparable, Codable, Sendable, LosslessStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: Int64) {
        rawValue = value
    }

    /// Reads the decimal form ("42").
    public init?(_ description: String) {
        guard let value = Int64(description) else { return nil }
        rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}

/// The kinds of stored row an `EntityID` can name; they have no values, only a type.
public enum StudyEntity {
    public enum Dataset {}
    public enum Item {}
    public enum Model {}
    public enum Run {}
    public enum Prediction {}
    public enum Annotator {}
    public enum Rubric {}
    public enum Score {}
    public enum Divergence {}
}

public typealias DatasetID = EntityID<StudyEntity.Dataset>
public typealias ItemID = EntityID<StudyEntity.Item>
public typealias ModelID = EntityID<StudyEntity.Model>
public typealias RunID = EntityID<StudyEntity.Run>
public typealias PredictionID = EntityID<StudyEntity.Prediction>
public typealias AnnotatorID = EntityID<StudyEntity.Annotator>
public typealias RubricID = EntityID<StudyEntity.Rubric>
public typealias ScoreID = EntityID<StudyEntity.Score>
public typealias DivergenceID = EntityID<StudyEntity.Divergence>
