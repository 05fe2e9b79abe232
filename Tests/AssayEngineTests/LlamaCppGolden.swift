import AssayEngine
import Foundation
import Testing

/// Greedy ids and top-10 probabilities that llama.cpp gave for a model file
/// (scripts/golden/llama-cpp-reference.py), and the comparison of the engine with them.
struct LlamaCppGolden: Decodable {
    struct Case: Decodable {
        typealias Position = GoldenGeneration.Case.Position
        let prompt_text: String
        let prompt_token_ids: [Int]
        let greedy_ids: [Int]
        let per_position_top10: [Position]
    }
    let model_sha256: String
    let cases: [Case]

    init(contentsOf url: URL) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }

    /// Checks every case, each from an empty cache as llama.cpp evaluated it (GoldenGeneration says
    /// why): the prompt's ids; free-running greedy ids up to the first near tie (or
    /// end-of-generation token); with llama.cpp's tokens forced, the argmax at every position that
    /// is not a near tie (at least 16 of the 32) and the top-10 probabilities within `tolerance`.
    /// `order` names the llama.cpp build that made the file.
    func check(
        model: EngineModel, order: FloatOrder, contextLength: Int = 512, name: String,
        tolerance: Double = GoldenGeneration.tolerance
    ) throws {
        for (index, testCase) in cases.enumerated() {
            let session = try Session(model: model, threads: 2, contextLength: contextLength, order: order)
            let label = "\(name) case \(index)"
            #expect(session.tokenizer.encode(testCase.prompt_text) == testCase.prompt_token_ids, "\(label) prompt ids")
            let positions = testCase.per_position_top10
            let tie =
                positions.first {
                    $0.top10[0].prob - $0.top10[1].prob < GoldenGeneration.nearTieGap
                }?.pos ?? testCase.greedy_ids.count
            let clear = positions.filter { $0.top10[0].prob - $0.top10[1].prob >= GoldenGeneration.nearTieGap }
            #expect(clear.count >= 16, "\(label): only \(clear.count) positions without a near tie; the comparison would be too weak")

            let result = try session.generate(
                promptIDs: testCase.prompt_token_ids,
                options: .greedy(maxTokens: testCase.greedy_ids.count))
            let compared = min(tie, result.ids.count)
            #expect(result.ids.prefix(compared) == testCase.greedy_ids.prefix(compared), "\(label) greedy ids")

            // A fresh cache: after the generation the prompt would be a reused prefix, not one batch.
            let logits = try Session(model: model, threads: 2, contextLength: contextLength, order: order).logits(
                for: testCase.prompt_token_ids + testCase.greedy_ids,
                from: testCase.prompt_token_ids.count - 1)
            var worst = 0.0
            var argmaxMismatches: [Int] = []
            for position in positions {
                let row = logits[position.pos]
                let maximum = Double(row.max() ?? 0)
                let total = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                for candidate in position.top10 {
                    worst = max(worst, abs(exp(Double(row[candidate.id]) - maximum) / total - candidate.prob))
                }
                let best = row.indices.max { row[$0] < row[$1] }
                let gap = position.top10[0].prob - position.top10[1].prob
                if best != testCase.greedy_ids[position.pos] && gap >= GoldenGeneration.nearTieGap {
                    argmaxMismatches.append(position.pos)
                }
            }
            #expect(argmaxMismatches.isEmpty, "\(label): argmax differs from llama.cpp at positions \(argmaxMismatches)")
            #expect(worst < tolerance, "\(label): largest top-10 difference \(worst)")
            print(
                "\(label): \(compared) greedy ids equal before the first near tie (at \(tie)), argmax equal at all "
                    + "\(clear.count) positions without one, largest top-10 difference \(String(format: "%.6f", worst))")
        }
    }
}
