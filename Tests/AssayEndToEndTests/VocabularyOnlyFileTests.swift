import AssayTestSupport
import Foundation
import Testing

/// `assay tokenize` on llama.cpp's vocabulary-only GGUF files (metadata, no tensors), and the
/// clear refusal to generate from one.
struct VocabularyOnlyFileTests {
    static func vocabulary(_ name: String) -> String {
        SharedFiles.projectFile("Tests/Fixtures/vocab/ggml-vocab-\(name).gguf").path
    }

    static func ids(_ stdout: String) throws -> [Int] {
        let object = try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(object["ids"] as? [Int])
    }

    @Test func tokenizeReadsOnlyTheVocabulary() throws {
        // llama.cpp: Llama 3 adds BOS (128000); "Hello world" is 9906, 1917 (the .out file's case).
        let llama3 = try AssayBinary.run(["tokenize", "--model", Self.vocabulary("llama-bpe"), "--json", "Hello world"])
        #expect(llama3.status == 0, "\(llama3.stderr)")
        #expect(try Self.ids(llama3.stdout) == [128000, 9906, 1917])
        let bare = try AssayBinary.run([
            "tokenize", "--model", Self.vocabulary("llama-bpe"), "--json", "--no-bos",
            "Hello world",
        ])
        #expect(try Self.ids(bare.stdout) == [9906, 1917])
        // SentencePiece: a space prefix, BOS 1, and byte fallback for a character with no piece.
        let spm = try AssayBinary.run(["tokenize", "--model", Self.vocabulary("llama-spm"), "--json", "Hello world"])
        #expect(try Self.ids(spm.stdout) == [1, 15043, 3186])
    }

    @Test func generatingFromAVocabularyOnlyFileIsRefusedInOneLine() throws {
        let result = try AssayBinary.run(["generate", "--model", Self.vocabulary("qwen2"), "--prompt", "Hi"])
        #expect(result.status != 0)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.contains("token_embd.weight") && !message.contains("\n"), "\(message)")
    }
}
