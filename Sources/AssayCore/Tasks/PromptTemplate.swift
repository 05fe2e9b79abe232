/// The messages sent for one item: an optional system message and a user message in which
/// `{text}` stands for the item's text.
public struct PromptTemplate: Codable, Sendable, Equatable {
    public static let textPlaceholder = "{text}"

    public var system: String?
    public var user: String

    public init(system: String? = nil, user: String) {
        self.system = system
        self.user = user
    }

    /// The user message for `text`.
    public func userMessage(for text: String) -> String {
        user.replacingOccurrences(of: Self.textPlaceholder, with: text)
    }

    /// The template as one string: what `run.prompt_template` stores and `prompt_hash` digests.
    public var canonicalText: String {
        (system.map { "[system]\n\($0)\n" } ?? "") + "[user]\n\(user)"
    }
}
