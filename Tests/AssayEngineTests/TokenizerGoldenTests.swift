import AssayEngine
import AssayTestSupport
import Foundation
import GGUF
import Testing

/// SmolLM2's tokenizer against llama.cpp's ids for the strings in Tests/Fixtures/golden/tokenizer.json.
@Suite struct TokenizerGoldenTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let name: String
            let text: String
            let ids: [Int]
            let ids_no_parse_special: [Int]
            let ids_llama_tokenize_cli: [Int]
            let detokenized: String
        }
        let cases: [Case]
    }

    static func load() throws -> (Tokenizer, Golden)? {
        guard let model = SharedFiles.smolLM2 else { return nil }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: SharedFiles.fixture("golden/tokenizer.json")))
        return (try SmolLM2Fixture.tokenizer(model), golden)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func everyCaseMatchesLlamaCpp() throws {
        let (tokenizer, golden) = try #require(try Self.load())
        #expect(golden.cases.count == 20)
        for testCase in golden.cases {
            #expect(tokenizer.encode(testCase.text, addSpecial: false) == testCase.ids, "\(testCase.name)")
            #expect(tokenizer.encode(testCase.text, addSpecial: true) == testCase.ids_llama_tokenize_cli, "\(testCase.name)")
            #expect(
                tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false) == testCase.ids_no_parse_special,
                "\(testCase.name) without special parsing")
            #expect(tokenizer.decode(testCase.ids) == testCase.detokenized, "\(testCase.name) decoded")
            #expect(tokenizer.decode(testCase.ids) == testCase.text, "\(testCase.name) round trip")
        }
    }
}
