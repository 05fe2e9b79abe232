/// What the answer parser read from one model answer.
public struct ParsedAnswer: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Exactly one label was read.
        case parsed
        /// Several different labels were found and no rule decides between them; none is chosen.
        case ambiguous
        /// No label was found.
        case unparsed
    }

    /// Nil unless `status` is `.parsed`.
    public let label: String?
    public let reasoning: String?
    public let status: Status
    /// The distinct labels found when the answer is ambiguous, in order of first mention.
    public let candidates: [String]

    public init(label: String?, reasoning: String?, status: Status, candidates: [String] = []) {
        self.label = label
        self.reasoning = reasoning
        self.status = status
        self.candidates = candidates
    }
}
