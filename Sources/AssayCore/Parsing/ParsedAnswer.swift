/// What the answer parser read from one model answer.
public struct ParsedAnswer: Sendable, Equatable {
    /// Nil unless `status` is `.parsed`.
    public let label: String?
    public let reasoning: String?
    public let status: ParseStatus
    /// The distinct labels found when the answer is ambiguous, in order of first mention.
    public let candidates: [String]

    public init(label: String?, reasoning: String?, status: ParseStatus, candidates: [String] = []) {
        self.label = label
        self.reasoning = reasoning
        self.status = status
        self.candidates = candidates
    }
}
