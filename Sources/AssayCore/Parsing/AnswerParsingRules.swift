/// The task file's `parsing` section: extra words that count as a label, and where the reasoning is.
public struct AnswerParsingRules: Codable, Sendable, Equatable {
    public enum ReasoningLocation: String, Codable, Sendable {
        /// When the answer opens with the label, the text after it; otherwise the whole answer.
        case afterLabel = "after_label"
        /// Always the whole answer.
        case wholeAnswer = "whole_answer"
        /// No reasoning is kept.
        case none
    }

    /// Label -> words or phrases that mean it (for example positive: [bullish]).
    public var synonyms: [String: [String]]
    public var reasoning: ReasoningLocation

    public init(synonyms: [String: [String]] = [:], reasoning: ReasoningLocation = .afterLabel) {
        self.synonyms = synonyms
        self.reasoning = reasoning
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        synonyms = try container.decodeIfPresent([String: [String]].self, forKey: .synonyms) ?? [:]
        reasoning = try container.decodeIfPresent(ReasoningLocation.self, forKey: .reasoning) ?? .afterLabel
    }
}
