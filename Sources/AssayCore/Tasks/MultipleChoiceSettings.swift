/// How a `multiple_choice` task picks an option.
public struct MultipleChoiceSettings: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// Each option's log-likelihood after the prompt (acc and acc_norm, as lm-evaluation-harness); embedded engine only.
        case loglikelihood
        /// A generated answer, read as the letter of an option.
        case generate
    }

    public var method: Method
    /// The dataset column holding each item's options (a JSON list).
    public var choicesField: String
    /// The text the answer starts with; each option is scored as a space and its text after it.
    public var assistantPrefix: String

    enum CodingKeys: String, CodingKey {
        case method
        case choicesField = "choices_field"
        case assistantPrefix = "assistant_prefix"
    }

    public init(method: Method = .loglikelihood, choicesField: String = "choices", assistantPrefix: String = "Answer:") {
        self.method = method
        self.choicesField = choicesField
        self.assistantPrefix = assistantPrefix
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decodeIfPresent(Method.self, forKey: .method) ?? .loglikelihood
        choicesField = try container.decodeIfPresent(String.self, forKey: .choicesField) ?? "choices"
        assistantPrefix = try container.decodeIfPresent(String.self, forKey: .assistantPrefix) ?? "Answer:"
    }

    /// The letter shown for the option at `index` ("A", "B" ...).
    public static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "A") + UInt8(index % 26)))
    }

    /// The option index a capital letter stands for ("A" is 0); the inverse of `letter`.
    public static func index(ofLetter letter: String) -> Int {
        Int(letter.unicodeScalars.first?.value ?? 0) - Int(UInt8(ascii: "A"))
    }
}
