/// One dataset item as `assay divergence --dataset` reads it: the tokens of the prompt a run sent
/// and of the answer it stored, which both models are made to read (teacher forcing).
public struct TeacherForcedTokens: Sendable, Equatable {
    public let prompt: [Int]
    public let answer: [Int]

    public init(prompt: [Int], answer: [Int]) {
        self.prompt = prompt
        self.answer = answer
    }

    public var count: Int { prompt.count + answer.count }
}
