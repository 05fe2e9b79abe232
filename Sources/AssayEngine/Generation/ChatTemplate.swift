/// The prompt format of a chat model, recognised from `tokenizer.chat_template` (no Jinja is run).
public struct ChatTemplate: Sendable, Equatable {
    public enum Family: String, Sendable {
        /// `<|im_start|>role\n...<|im_end|>\n` (SmolLM2, Qwen2).
        case chatML
        /// `<|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>` (Llama 3).
        case llama3
        /// `[INST] ... [/INST]` (Llama 2, Mistral).
        case instruct
    }

    /// The family, or nil when the file has no template this engine recognises.
    public let family: Family?
    /// The system message the template inserts when the conversation has none (SmolLM2, Qwen2).
    public let defaultSystemMessage: String?
    public init(family: Family?, defaultSystemMessage: String? = nil) {
        self.family = family
        self.defaultSystemMessage = defaultSystemMessage
    }

    /// Recognises the family from the template text. Templates that write BOS themselves
    /// (`{{ bos_token }}`) are rendered without it, because the tokenizer adds BOS.
    public init(template: String) {
        if template.contains("<|im_start|>") {
            self.init(family: .chatML, defaultSystemMessage: Self.literalSystemMessage(in: template))
        } else if template.contains("<|start_header_id|>") {
            self.init(family: .llama3)
        } else if template.contains("[INST]") {
            self.init(family: .instruct)
        } else {
            self.init(family: nil)
        }
    }

    /// The text of a system turn written out literally in a ChatML template (its default).
    private static func literalSystemMessage(in template: String) -> String? {
        let opening = "<|im_start|>system\n"
        guard let start = template.range(of: opening) else { return nil }
        let rest = template[start.upperBound...]
        guard let end = rest.range(of: "<|im_end|>") else { return nil }
        let message = rest[..<end.lowerBound]
        // A template that splices in the message's content is not a literal default.
        return message.contains("'") || message.contains("{") || message.isEmpty ? nil : String(message)
    }

    /// The prompt for one user message, ending where the assistant's reply starts.
    public func render(user: String, system: String? = nil) throws -> String {
        let system = system ?? defaultSystemMessage
        switch family {
        case .chatML:
            let systemTurn = system.map { "<|im_start|>system\n\($0)<|im_end|>\n" } ?? ""
            return systemTurn + "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n"
        case .llama3:
            let systemTurn = system.map { "<|start_header_id|>system<|end_header_id|>\n\n\($0)<|eot_id|>" } ?? ""
            return systemTurn + "<|start_header_id|>user<|end_header_id|>\n\n\(user)<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"
        case .instruct:
            let content = system.map { "\($0)\n\n\(user)" } ?? user
            return "[INST] \(content) [/INST]"
        case nil:
            throw AssayEngineError("the model has no chat template this engine recognises (ChatML, Llama 3, [INST]); "
                + "send the prompt without --chat, formatted yourself")
        }
    }
}
