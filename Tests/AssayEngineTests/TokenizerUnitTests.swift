import AssayEngine
import AssaySupport
import Testing

/// Tokenizers built from small hand-made vocabularies (no model file needed).
struct TokenizerUnitTests {
    /// A SentencePiece vocabulary: "▁hello" is reachable only through merges, "é" only through bytes.
    static func sentencePiece() throws -> Tokenizer {
        var tokens = [
            "<unk>", "<s>", "</s>", "\u{2581}", "h", "e", "l", "o", "\u{2581}h", "ll", "llo", "ello",
            "\u{2581}hello", "w",
        ]
        var kinds: [TokenVocabulary.Kind] = [.unknown, .control, .control] + Array(repeating: .normal, count: 11)
        var scores: [Float] = [0, 0, 0, -1, -2, -2, -2, -2, -1.5, -1, -0.5, -0.7, -0.1, -2]
        for byte in 0..<256 {
            tokens.append("<0x" + String(byte, radix: 16, uppercase: true).paddedHex + ">")
            kinds.append(.byte)
            scores.append(-10)
        }
        return try Tokenizer(
            vocabulary: TokenVocabulary(
                model: .sentencePiece, tokens: tokens, kinds: kinds, scores: scores, bosID: 1, eosID: 2, unknownID: 0))
    }

    @Test func sentencePieceMergesByScoreAndFallsBackToBytes() throws {
        let tokenizer = try Self.sentencePiece()
        let ids = tokenizer.encode("hello é")
        let eAcuteBytes = Array("é".utf8).map { 14 + Int($0) }
        #expect(ids == [1, 12, 3] + eAcuteBytes)
        #expect(tokenizer.decode(ids) == "<s>hello é")
        #expect(tokenizer.decode(ids, includeSpecial: false) == "hello é")
        #expect(tokenizer.encode("hello", addSpecial: false) == [12])
        #expect(tokenizer.encode("<s>hello", addSpecial: false) == [1, 12])
        #expect(tokenizer.encode("<s>", addSpecial: false, parseSpecial: false) != [1])
    }

    @Test func chatMLTemplateAddsTheDefaultSystemMessage() throws {
        let template = ChatTemplate(
            template: """
                {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
                {{ '<|im_start|>system\nYou are helpful.<|im_end|>\n' }}{% endif %}\
                {{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}
                """)
        #expect(template.family == .chatml)
        #expect(
            try template.render(user: "Hi")
                == "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(try template.render(user: "Hi", system: "Be brief.").hasPrefix("<|im_start|>system\nBe brief.<|im_end|>"))
    }

    @Test func llama3TemplateAndUnknownTemplates() throws {
        let llama3 = ChatTemplate(template: "{{ bos_token }}<|start_header_id|>{{ message['role'] }}<|end_header_id|>")
        #expect(
            try llama3.render(user: "Hi", system: "S") == "<|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(throws: AssayError.self) { try ChatTemplate(template: "{{ messages }}").render(user: "Hi") }
    }
}

extension String {
    fileprivate var paddedHex: String { count < 2 ? "0" + self : self }
}
