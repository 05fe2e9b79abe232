import AssayTestSupport
import Foundation
import GGUF
import Testing

/// `assay tokenize`, `generate` and `bench engine` on the SmolLM2 model, and their errors.
@Suite struct EngineCommandTests {
    static let model = SharedFiles.smolLM2?.path ?? ""

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func tokenizeParsesSpecialTokensUnlessTold() throws {
        let text = "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n"  // golden case chatml_turn
        let special = try AssayBinary.run(["tokenize", "--model", Self.model, "--json", text])
        #expect(special.status == 0, "\(special.stderr)")
        #expect(try Self.json(special.stdout)["ids"] as? [Int] == [1, 4093, 198, 26843, 665, 2, 198, 1, 520, 9531, 198])
        let plain = try AssayBinary.run(["tokenize", "--model", Self.model, "--json", "--no-special", text])
        let ids = try #require(try Self.json(plain.stdout)["ids"] as? [Int])
        #expect(ids.count > 11 && !ids.contains(1))
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func generateReportsIDsTextAndTimings() throws {
        let result = try AssayBinary.run(["generate", "--model", Self.model, "--chat", "--prompt", "Name a color.",
                                          "--max-tokens", "4", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        let ids = try #require(output["ids"] as? [Int])
        #expect(!ids.isEmpty && ids.count <= 4)
        #expect((output["text"] as? String)?.isEmpty == false)
        #expect(output["prompt_tokens"] as? Int ?? 0 > 20)  // includes SmolLM2's default system message
        #expect(output["prefill_seconds"] as? Double ?? 0 > 0)
    }

    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file"))
    func benchEngineReportsMedians() throws {
        let result = try AssayBinary.run(["bench", "engine", "--model", Self.model, "--threads", "2",
                                          "--prompt-tokens", "8", "--gen-tokens", "4", "--repetitions", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        #expect(output["prefill_tok_s"] as? Double ?? 0 > 0)
        #expect(output["decode_tok_s"] as? Double ?? 0 > 0)
    }

    @Test func unsupportedArchitectureAndMissingModelGiveOneLineErrors() throws {
        let folder = try TemporaryFolder()
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("gemma2"))
        let path = folder.path("gemma.gguf")
        try writer.write(to: URL(fileURLWithPath: path))
        let unsupported = try AssayBinary.run(["generate", "--model", path, "--prompt", "Hi"])
        #expect(unsupported.status != 0)
        #expect(unsupported.stderr.contains("architecture 'gemma2' is not supported"))
        let missing = try AssayBinary.run(["tokenize", "--model", folder.path("none.gguf"), "Hi"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not found"))
        #expect(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }
}
