/// The messages sent for one item: an optional system message and a user message in which
/// `{text}` stands for the item's text.
public struct PromptTemplate: Codable, Sendable, Equatable {
    public static let textPlaceholder = "{text}"
    /// A multiple-choice item's options, one per line as "A. option".
    public static let choicesPlaceholder = "{choices}"

    public var system: String?
    public var user: String

    public init(system: String? = nil, user: String) {
        self.system = system
        self.user = user
    }

    /// The user message for `text`.
    public func userMessage(for text: String, choices: [String] = []) -> String {
        let listed = choices.enumerated().map { "\(MultipleChoiceSettings.letter($0.offset)). \($0.element)" }.joined(separator: "\n")
        // {choices} is held by a NUL while {text} is filled, so an item whose text holds "{choices}" keeps it.
        return user.replacingOccurrences(of: Self.choicesPlaceholder, with: "\u{0}").replacingOccurrences(
            of: Self.textPlaceholder, with: text
        ).replacingOccurrences(of: "\u{0}", with: listed)
    }

    /// The template as one string: what `run.prompt_template` stores and `prompt_hash` digests.
    public var canonicalText: String {
        (system.map { "[system]\n\($0)\n" } ?? "") + "[user]\n\(user)"
    }
}
