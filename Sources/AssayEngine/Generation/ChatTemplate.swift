import AssaySupport

/// The prompt format of a chat model, recognised from `tokenizer.chat_template` (no Jinja is run)
/// or named with `--template NAME`.
///
/// Renderings equal what the model's own template gives for a system and a user message with
/// `add_generation_prompt` (Tests/Fixtures/chat), except that BOS is left out: the tokenizer adds it.
public struct ChatTemplate: Sendable, Equatable {
    public enum Family: String, Sendable, CaseIterable {
        /// `<|im_start|>role\n...<|im_end|>\n` (SmolLM2, Qwen2).
        case chatml
        /// `<|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>` (Llama 3).
        case llama3
        /// `<|system|>\n...<|end|>\n<|user|>\n...<|end|>\n<|assistant|>\n` (Phi-3).
        case phi3
        /// `<start_of_turn>user\n...<end_of_turn>\n<start_of_turn>model\n` (Gemma 2 and 3).
        case gemma
        /// `[INST]...[/INST]` (Mistral, Llama 2), the system text before the user's.
        case mistral
    }

    /// The family, or nil when the file has no template this engine recognises.
    public let family: Family?
    /// The system message the template inserts when the conversation has none (SmolLM2, Qwen2).
    public let defaultSystemMessage: String?
    /// Llama 3.1+ templates open the system turn with a knowledge-cutoff and date preamble.
    public let systemPreamble: String?
    /// `[INST] ` and ` [/INST]` (Mistral v0.1, Llama 2) or without the spaces (Mistral Nemo).
    public let instructOpening: String
    public let instructClosing: String

    public init(
        family: Family?, defaultSystemMessage: String? = nil, systemPreamble: String? = nil,
        instructOpening: String = "[INST]", instructClosing: String = "[/INST]"
    ) {
        self.family = family
        self.defaultSystemMessage = defaultSystemMessage
        self.systemPreamble = systemPreamble
        self.instructOpening = instructOpening
        self.instructClosing = instructClosing
    }

    /// The plain format of a family, as `--template NAME` picks it.
    public init(named name: String) throws {
        guard let family = Family(rawValue: name.lowercased()) else {
            throw AssayError(
                "unknown chat template '\(name)'; --template takes one of "
                    + Family.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.init(family: family)
    }

    /// Recognises the family from the template text.
    public init(template: String) {
        if template.contains("<|im_start|>") {
            self.init(family: .chatml, defaultSystemMessage: Self.literalSystemMessage(in: template))
        } else if template.contains("<|start_header_id|>") {
            // Llama 3.1 and 3.2 write this preamble; without strftime_now their date is fixed.
            let preamble =
                template.contains("Cutting Knowledge Date: December 2023")
                ? "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" : nil
            self.init(family: .llama3, systemPreamble: preamble)
        } else if template.contains("<|user|>") && template.contains("<|end|>") {
            self.init(family: .phi3)
        } else if template.contains("<start_of_turn>") {
            self.init(family: .gemma)
        } else if template.contains("[INST]") {
            self.init(
                family: .mistral, instructOpening: template.contains("[INST] ") ? "[INST] " : "[INST]",
                instructClosing: template.contains(" [/INST]") ? " [/INST]" : "[/INST]")
        } else {
            self.init(family: nil)
        }
    }

    /// The format of a file without `tokenizer.chat_template` (a pretrained model such as Gemma 3
    /// 270M), from the turn markers its vocabulary has; nil when it has none of them.
    public init(vocabularyTokens tokens: [String]) {
        let markers: [(String, Family)] = [
            ("<start_of_turn>", .gemma), ("<|im_start|>", .chatml),
            ("<|start_header_id|>", .llama3), ("<|user|>", .phi3), ("[INST]", .mistral),
        ]
        let present = Set(tokens)
        self.init(family: markers.first { present.contains($0.0) }?.1)
    }

    /// The text of a system turn written out literally in a ChatML template (its default).
    private static func literalSystemMessage(in template: String) -> String? {
        // Templates spell the newline either as itself or as `\n` inside a Jinja string.
        for newline in ["\n", "\\n"] {
            var rest = template[...]
            while let start = rest.range(of: "<|im_start|>system" + newline) {
                rest = rest[start.upperBound...]
                guard let end = rest.range(of: "<|im_end|>") else { break }
                let message = rest[..<end.lowerBound]
                // A template that splices in the message's content is not a literal default.
                if !message.isEmpty && !message.contains("'") && !message.contains("{") && !message.contains("\"") {
                    return String(message)
                }
            }
        }
        return nil
    }

    /// The prompt for one user message, ending where the assistant's reply starts.
    public func render(user: String, system: String? = nil) throws -> String {
        let system = system ?? defaultSystemMessage
        switch family {
        case .chatml:
            let systemTurn = system.map { "<|im_start|>system\n\($0)<|im_end|>\n" } ?? ""
            return systemTurn + "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n"
        case .llama3:
            let header = { (role: String) in "<|start_header_id|>\(role)<|end_header_id|>\n\n" }
            let systemText = (systemPreamble ?? "") + (system.map(Self.trimmed) ?? "")
            let systemTurn = systemText.isEmpty ? "" : header("system") + systemText + "<|eot_id|>"
            return systemTurn + header("user") + Self.trimmed(user) + "<|eot_id|>" + header("assistant")
        case .phi3:
            let systemTurn = system.flatMap { $0.isEmpty ? nil : "<|system|>\n\($0)<|end|>\n" } ?? ""
            return systemTurn + "<|user|>\n\(user)<|end|>\n<|assistant|>\n"
        case .gemma:
            // Gemma has no system role; its template puts the system text at the top of the user turn.
            let content = system.map { "\($0)\n\n\(user)" } ?? user
            return "<start_of_turn>user\n\(Self.trimmed(content))<end_of_turn>\n<start_of_turn>model\n"
        case .mistral:
            let content = system.map { "\($0)\n\n\(user)" } ?? user
            return instructOpening + content + instructClosing
        case nil:
            throw AssayError(
                "the model's chat template is not one this engine recognises; pass --template NAME "
                    + "(" + Family.allCases.map(\.rawValue).joined(separator: ", ") + ") to pick a format, "
                    + "or send the prompt without --chat, formatted yourself")
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
