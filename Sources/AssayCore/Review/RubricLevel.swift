/// One step of a rubric scale: an ordinal level ("4") or a category ("consistent"), with what it means.
public struct RubricLevel: Sendable, Equatable {
    public let name: String
    public let description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}
