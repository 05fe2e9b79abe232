import AssayEngine
import AssayTestSupport
import Foundation
import GGUF
import Testing

/// Five real vocabularies against llama.cpp's own tokenizer vectors (Tests/Fixtures/vocab, copied
/// from llama.cpp's models/ folder; see the README there): every test string gives llama.cpp's ids
/// (no BOS, special-token text not parsed, as llama.cpp's test-tokenizer-0 runs them) and decodes back.
struct VocabularyGoldenTests {
    struct Case {
        let text: String
        let ids: [Int]
    }

    static func folder() -> URL { SharedFiles.projectFile("Tests/Fixtures/vocab") }

    static func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer(file: GGUFFile(contentsOf: folder().appendingPathComponent("ggml-vocab-\(name).gguf")))
    }

    /// The strings of `NAME.gguf.inp` (separated by `__ggml_vocab_test__` lines) with the ids of `.out`.
    static func cases(_ name: String) throws -> [Case] {
        let base = folder().appendingPathComponent("ggml-vocab-\(name).gguf")
        let input = try String(contentsOf: base.appendingPathExtension("inp"), encoding: .utf8)
        var texts = input.components(separatedBy: "\n__ggml_vocab_test__\n")
        if texts.last == "" { texts.removeLast() }
        let lines = try String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(texts.count == lines.count, "\(name): \(texts.count) strings but \(lines.count) id lines")
        return zip(texts, lines).map { text, line in
            Case(text: text, ids: line.split(separator: " ").compactMap { Int($0) })
        }
    }

    @Test(arguments: ["llama-bpe", "llama-spm", "phi-3", "qwen2", "gpt-2"])
    func everyStringGivesLlamaCppIDsAndDecodesBack(vocabulary: String) throws {
        let tokenizer = try Self.tokenizer(vocabulary)
        let cases = try Self.cases(vocabulary)
        #expect(cases.count == 46)
        for (index, testCase) in cases.enumerated() {
            let ids = tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false)
            #expect(ids == testCase.ids, "\(vocabulary) string \(index) \(testCase.text.debugDescription)")
            #expect(
                tokenizer.decode(testCase.ids) == testCase.text,
                "\(vocabulary) string \(index) \(testCase.text.debugDescription) decoded")
        }
    }
}
