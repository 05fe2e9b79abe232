import AssayEngine
import AssayTestSupport
import Foundation
import Testing

/// Sampling, beam search, label scoring and prefix reuse on SmolLM2 (short prompts, so debug builds cope).
@Suite(.serialized, .enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
struct SessionTests {
    static func session(threads: Int = 2) throws -> Session {
        let url = try #require(SharedFiles.smolLM2)
        return try Session(model: EngineModel(file: SmolLM2Fixture.file(url)), threads: threads)
    }

    static let prompt = "<|im_start|>user\nName a color.<|im_end|>\n<|im_start|>assistant\n"

    @Test func sameSeedGivesSameTokensAndSeedsDiffer() throws {
        let session = try Self.session()
        func sample(_ seed: UInt64) throws -> [Int] {
            try session.generate(
                prompt: Self.prompt,
                options: GenerationOptions(
                    maxTokens: 4, temperature: 1.5, topK: 0, topP: 1, seed: seed)
            ).ids
        }
        let first = try sample(7)
        #expect(!first.isEmpty)
        #expect(try sample(7) == first)
        // With a flat distribution (temperature 1.5, no filters) two other seeds both agreeing is implausible.
        let others = try [1, 2].map { try sample($0) }
        #expect(others.contains { $0 != first })
    }

    @Test func beamWidthOneIsGreedy() throws {
        let session = try Self.session()
        let greedy = try session.generate(prompt: Self.prompt, options: .greedy(maxTokens: 6))
        let beam = try session.generate(prompt: Self.prompt, options: GenerationOptions(maxTokens: 6, beamWidth: 1))
        #expect(beam.ids == greedy.ids)
        #expect(!greedy.ids.isEmpty)
    }

    @Test func wideBeamSearchIsDeterministicAndBounded() throws {
        let session = try Self.session()
        let options = GenerationOptions(maxTokens: 4, beamWidth: 3)
        let beam = try session.generate(prompt: Self.prompt, options: options)
        #expect(!beam.ids.isEmpty && beam.ids.count <= 4)
        #expect(try session.generate(prompt: Self.prompt, options: options).ids == beam.ids)
    }

    @Test func labelScoresAreLogProbabilitiesOfTheContinuation() throws {
        let session = try Self.session()
        let promptIDs = session.tokenizer.encode(Self.prompt)
        let candidates = [" red", " Blue", "Green is nice"].map { session.tokenizer.encode($0, addSpecial: false) }
        let scored = try session.scoreContinuations(promptIDs: promptIDs, candidateIDs: candidates)
        let scores = scored.logProbabilities
        #expect(scores.allSatisfy { $0 < 0 })
        // A fresh cache: the whole prompt, then each candidate's tokens after its first.
        #expect(candidates.contains { $0.count > 1 })
        #expect(scored.evaluatedTokens == promptIDs.count + candidates.reduce(0) { $0 + $1.count - 1 })
        // The same sums from the logits after each token.
        for (candidate, score) in zip(candidates, scores) {
            let logits = try session.logits(for: promptIDs + candidate, from: promptIDs.count - 1)
            var expected = 0.0
            for (step, id) in candidate.enumerated() {
                let row = logits[step]
                let maximum = Double(row.max() ?? 0)
                let total = row.reduce(0.0) { $0 + exp(Double($1) - maximum) }
                expected += Double(row[id]) - maximum - log(total)
            }
            #expect(abs(score - expected) < 1e-3)
        }
        // Probabilities of distinct single tokens sum to at most 1.
        let singles = try session.scoreContinuations(promptIDs: promptIDs, candidateIDs: (100..<400).map { [$0] })
        let mass = singles.logProbabilities.reduce(0.0) { $0 + exp($1) }
        // The same prompt again: all but its last two tokens come from the cache, and one-token candidates need no pass.
        #expect(singles.evaluatedTokens == 2)
        #expect(mass > 0 && mass <= 1.0001)
    }

    /// A chunk's logits leave the output projection a group of rows at a time (48): each row must
    /// be its own position's, wherever the groups start.
    @Test func chunkLogitsDoNotDependOnWhereTheOutputGroupsSplit() throws {
        let session = try Self.session()
        let ids = Array(session.tokenizer.encode(String(repeating: "Shares rose after the quarterly report. ", count: 20)).prefix(110))
        try #require(ids.count == 110)
        let all = try session.chunkLogits(for: ids, from: 0)
        let late = try session.chunkLogits(for: ids, from: 50)
        #expect(all.count == 110 && late.count == 60)
        // Compared outside #expect: a failing comparison of two 49,152-float rows would make it diff them.
        let differing = late.indices.filter { late[$0] != all[50 + $0] }.map { 50 + $0 }
        #expect(differing.isEmpty, "positions whose logits depend on the split: \(differing)")
        let best = all.map { row in row.indices.max { row[$0] < row[$1] }! }
        #expect(Set(best).count > 1, "every position predicts the same token: the rows were not each their own")
    }

    @Test func sharedPromptPrefixIsReused() throws {
        let session = try Self.session(threads: 1)
        let first = try session.generate(prompt: Self.prompt, options: .greedy(maxTokens: 5))
        let second = try session.generate(prompt: Self.prompt, options: .greedy(maxTokens: 5))
        #expect(first.reusedPromptTokens == 0)
        // The last two prompt tokens run again, so that they are summed as in a fresh prompt.
        #expect(second.reusedPromptTokens == second.promptTokens - 2)
        #expect(second.ids == first.ids)
        let longer = try session.generate(prompt: Self.prompt + "Blue", options: .greedy(maxTokens: 2))
        #expect(longer.reusedPromptTokens >= first.promptTokens - 1)
    }
}
