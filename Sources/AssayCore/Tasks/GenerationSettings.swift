/// Where a `generation` task finds each item's reference texts.
public struct GenerationSettings: Codable, Sendable, Equatable {
    /// A dataset column holding a JSON list of references; items without it use their label column's text.
    public var referencesField: String

    enum CodingKeys: String, CodingKey {
        case referencesField = "references_field"
    }

    public init(referencesField: String = "references") {
        self.referencesField = referencesField
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        referencesField = try container.decodeIfPresent(String.self, forKey: .referencesField) ?? "references"
    }
}
