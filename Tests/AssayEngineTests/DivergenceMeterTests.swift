import AssaySupport
import AssayTestSupport
import Foundation
import GGUF
import Testing

@testable import AssayEngine

/// `DivergenceMeter` on two tiny random models that share a vocabulary (the mistral and gemma3
/// fixtures, both llama-spm), checked against the same figures computed here another way: each
/// chunk's logits taken one token at a time (`Session.logits(for:from:)`, not the batched chunk
/// path) and every sum written out in the test.
@Suite struct DivergenceMeterTests {
    static func session(_ name: String) throws -> Session {
        let fixture = try #require(RandomModelFixture.named(name))
        let model = try EngineModel(file: GGUFFile(bytes: try fixture.bytes()), source: "\(name).gguf")
        return try Session(model: model, threads: 1, contextLength: 64)
    }

    static let text = String(
        repeating: "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn, while net sales fell by two percent in the quarter. ", count: 6)

    @Test func figuresAgreeWithAnIndependentComputation() throws {
        let base = try Self.session("mistral")
        let model = try Self.session("gemma3")
        let settings = ChunkSettings(context: 32, chunks: 3)
        var seen: [(Int, Int)] = []
        let report = try DivergenceMeter(base: base, model: model, settings: settings).measure(text: Self.text) { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == [0, 1, 2, 3] && seen.allSatisfy { $0.1 == 3 })

        // The reference: the same chunks, positions and formulas, from one-token-at-a-time logits.
        let tokens = base.tokenizer.encode(Self.text, parseSpecial: false)
        var divergences: [Double] = []
        var agree = 0
        var baseLoss = 0.0
        var modelLoss = 0.0
        var squaredDelta = 0.0
        for chunk in 0..<3 {
            var ids = Array(tokens[(chunk * 32)..<((chunk + 1) * 32)])
            if base.tokenizer.vocabulary.addBOS, let bos = base.tokenizer.vocabulary.bosID { ids[0] = bos }
            let baseRows = try base.logits(for: ids, from: 16)
            let modelRows = try model.logits(for: ids, from: 16)
            for offset in 0..<15 {
                let p = Self.softmax(baseRows[offset])
                let q = Self.softmax(modelRows[offset])
                divergences.append(zip(p, q).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) })
                if p.indices.max(by: { p[$0] < p[$1] }) == q.indices.max(by: { q[$0] < q[$1] }) { agree += 1 }
                let next = ids[16 + offset + 1]
                baseLoss -= log(p[next])
                modelLoss -= log(q[next])
                squaredDelta += (q[next] - p[next]) * (q[next] - p[next])
            }
        }
        let count = Double(divergences.count)
        #expect(report.tokensScored == 45 && report.chunks == 3 && report.context == 32)
        func close(_ value: Double, _ expected: Double, _ what: String) {
            #expect(abs(value - expected) <= 1e-4 * max(1, abs(expected)), "\(what): \(value) vs \(expected)")
        }
        close(report.kld.mean.value, divergences.reduce(0, +) / count, "mean KLD")
        close(report.kld.max, divergences.max() ?? 0, "max KLD")
        close(report.kld.median, divergences.sorted()[22], "median KLD")
        close(report.sameTopToken.value, Double(agree) / count, "same top token")
        close(report.basePerplexity.value, exp(baseLoss / count), "base perplexity")
        close(report.modelPerplexity.value, exp(modelLoss / count), "model perplexity")
        close(report.perplexityRatio, exp((modelLoss - baseLoss) / count), "perplexity ratio")
        close(report.rmsDeltaP, (squaredDelta / count).squareRoot(), "RMS delta p")
        // Two unrelated random models disagree: a test on identical models could not tell a wrong sum.
        #expect(report.kld.mean.value > 0.01)
    }

    /// Each item read whole from its first token, against logits taken one token at a time: per
    /// item over every position and over the answer's, and pooled over all items.
    @Test func itemFiguresAgreeWithAnIndependentComputation() throws {
        let base = try Self.session("mistral")
        let model = try Self.session("gemma3")
        let tokenizer = base.tokenizer
        let items = [
            ("[INST] Classify: profit rose. [/INST]", " Positive, because profit rose."),
            ("[INST] Classify: net sales fell by two percent in the quarter. [/INST]", " Negative"),
            ("[INST] The contract covers trams. [/INST]", ""),
        ].map {
            TeacherForcedTokens(prompt: tokenizer.encode($0.0), answer: tokenizer.encode($0.1, addSpecial: false, parseSpecial: false))
        }
        #expect(items[2].answer.isEmpty && items.allSatisfy { $0.prompt.count > 4 })
        var seen: [Int] = []
        let measured = try DivergenceMeter(base: base, model: model, settings: ChunkSettings(context: 64)).measure(items: items) {
            seen.append($0)
            #expect($1 == 3)
        }
        #expect(seen == [0, 1, 2, 3])
        #expect(measured.items.count == 3 && measured.report.chunks == 3)

        func close(_ value: Double?, _ expected: Double?, _ what: String) {
            guard let value, let expected else { return #expect(value == nil && expected == nil, "\(what)") }
            #expect(abs(value - expected) <= 1e-4 * max(1, abs(expected)), "\(what): \(value) vs \(expected)")
        }
        var pooled: [Double] = []
        for (index, item) in items.enumerated() {
            let ids = item.prompt + item.answer
            let baseRows = try base.logits(for: ids, from: 0)
            let modelRows = try model.logits(for: ids, from: 0)
            var divergences: [Double] = []
            var agree = 0
            for position in 0..<(ids.count - 1) {
                let p = Self.softmax(baseRows[position])
                let q = Self.softmax(modelRows[position])
                divergences.append(zip(p, q).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) })
                if p.indices.max(by: { p[$0] < p[$1] }) == q.indices.max(by: { q[$0] < q[$1] }) { agree += 1 }
            }
            // Position j predicts token j + 1: the answer's positions start at the prompt's last token.
            let answer = Array(divergences[(item.prompt.count - 1)...])
            let figures = measured.items[index]
            #expect(figures.tokensScored == ids.count - 1 && figures.answerTokensScored == item.answer.count)
            close(figures.meanKld, divergences.reduce(0, +) / Double(divergences.count), "item \(index) mean KLD")
            close(figures.maxKld, divergences.max(), "item \(index) max KLD")
            close(figures.answerMeanKld, answer.isEmpty ? nil : answer.reduce(0, +) / Double(answer.count), "item \(index) answer KLD")
            close(figures.sameTopToken, Double(agree) / Double(divergences.count), "item \(index) same top token")
            pooled += divergences
        }
        #expect(measured.report.tokensScored == pooled.count)
        close(measured.report.kld.mean.value, pooled.reduce(0, +) / Double(pooled.count), "pooled mean KLD")
        close(measured.report.kld.max, pooled.max(), "pooled max KLD")
        #expect(measured.items.allSatisfy { $0.meanKld > 0.01 })

        #expect {
            _ = try DivergenceMeter(base: base, model: model, settings: ChunkSettings(context: 8)).measure(items: items) { _, _ in }
        } throws: { error in
            String(describing: error).contains("item 1 of 3 has \(items[0].count) tokens")
        }
    }

    @Test func aModelAgainstItselfHasNoDivergence() throws {
        let report = try DivergenceMeter(
            base: try Self.session("mistral"), model: try Self.session("mistral"), settings: ChunkSettings(context: 32)
        )
        .measure(text: Self.text) { _, _ in }
        #expect(report.kld.max < 1e-9)
        #expect(report.sameTopToken.value == 1)
        #expect(report.perplexityRatio == 1)
    }

    @Test func badInputsAreOneLineErrors() throws {
        let base = try Self.session("mistral")
        #expect(throws: AssayError.self) { _ = try DivergenceMeter(base: base, model: base, settings: ChunkSettings(context: 4)) }
        let meter = try DivergenceMeter(base: base, model: base, settings: ChunkSettings(context: 64))
        #expect {
            _ = try meter.measure(text: "Too short.") { _, _ in }
        } throws: { error in
            String(describing: error).contains("fewer than one chunk of 64") && !String(describing: error).contains("\n")
        }
        #expect {
            _ = try DivergenceMeter(base: base, model: try Self.session("llama3"), settings: ChunkSettings(context: 32))
        } throws: { error in
            String(describing: error).contains("different vocabularies")
        }
    }

    static func softmax(_ logits: [Float]) -> [Double] {
        let top = Double(logits.max() ?? 0)
        let weights = logits.map { exp(Double($0) - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
