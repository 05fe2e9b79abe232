/// One question an annotator answers for each prediction, and its scale.
public struct RubricCriterion: Sendable, Equatable {
    public let name: String
    public let question: String
    public let scale: RubricScale

    public init(name: String, question: String, scale: RubricScale) {
        self.name = name
        self.question = question
        self.scale = scale
    }
}
