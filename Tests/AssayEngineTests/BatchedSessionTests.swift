import AssayEngine
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

/// Batched decoding on SmolLM2 against the sequential session: the same tokens up to near-ties,
/// the shared prefix evaluated once, label scores, and the memory and context limits.
@Suite(.serialized, .enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
struct BatchedSessionTests {
    static func model() throws -> EngineModel {
        try EngineModel(file: SmolLM2Fixture.file(try #require(SharedFiles.smolLM2)))
    }

    static let sentences = [
        "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn.", "The company cut 120 jobs in Finland.",
        "Sales were flat in the quarter.", "Net loss widened to EUR 2.4 million.",
        "Shares jumped 12 percent after the results.", "It will hold its annual meeting on 25 March.",
        "Demand for paper fell sharply in Europe.", "Orders grew by a third compared with last year.",
        "Revenue was EUR 93 million.", "Analysts expect weaker margins next year.",
        "A new plant opens in Estonia in spring.", "Profit before taxes decreased to EUR 1.2 mn.",
    ]

    /// A Figure 2-style prompt: fixed instructions, then the item's text.
    static func prompt(_ text: String, tokenizer: Tokenizer) -> [Int] {
        tokenizer.encode(
            "<|im_start|>user\nAssess the sentiment of the given text. Mark it as positive, negative or neutral and give your reasoning.\nText: \(text)<|im_end|>\n<|im_start|>assistant\n"
        )
    }

    /// The largest logit minus the logit of `token`: how far `token` was from being picked.
    static func gap(_ logits: [Float], to token: Int) -> Float { (logits.max() ?? 0) - logits[token] }

    @Test func batchedGreedyTextsMatchSequentialUpToNearTies() throws {
        let model = try Self.model()
        let sequential = try Session(model: model, threads: 2)
        let batched = try BatchedSession(model: model, threads: 2, batchSize: 4)
        let prompts = Self.sentences.map { Self.prompt($0, tokenizer: model.tokenizer) }
        let options = GenerationOptions.greedy(maxTokens: 12)
        let outcomes = batched.run(prompts.map { .generate(promptIDs: $0, options: options) })
        var identical = 0
        for (prompt, outcome) in zip(prompts, outcomes) {
            guard case .generated(let result) = outcome else {
                Issue.record("a batched request failed: \(outcome)")
                continue
            }
            let reference = try sequential.generate(promptIDs: prompt, options: options)
            if result.ids == reference.ids {
                identical += 1
                continue
            }
            // A difference must start where the sequential engine saw two tokens almost tied: the
            // batched one's pick within 0.1 of the best logit (products summed for 4 rows at a
            // time round differently from one row's).
            let split = zip(result.ids, reference.ids).prefix { $0 == $1 }.count
            let seen = try sequential.logits(for: prompt + reference.ids, from: prompt.count - 1)
            if split < result.ids.count {
                #expect(Self.gap(seen[split], to: result.ids[split]) < 0.1, "item \(prompt.count): not a near-tie")
            }
        }
        // 95% of 12 items: every one of them.
        #expect(Double(identical) >= 0.95 * Double(prompts.count), "\(identical) of \(prompts.count) identical")
    }

    @Test func sharedPrefixIsEvaluatedOnce() throws {
        let model = try Self.model()
        let batched = try BatchedSession(model: model, threads: 2, batchSize: 3)
        let prompts = Self.sentences.prefix(7).map { Self.prompt($0, tokenizer: model.tokenizer) }
        // The instructions' tokens: the common start of every prompt.
        var prefix = prompts[0].count
        for prompt in prompts { prefix = min(prefix, zip(prompts[0], prompt).prefix { $0 == $1 }.count) }
        #expect(prefix > 20)
        let options = GenerationOptions.greedy(maxTokens: 5)
        let outcomes = batched.run(prompts.map { .generate(promptIDs: $0, options: options) })
        var decoded = 0
        for outcome in outcomes {
            guard case .generated(let result) = outcome else {
                Issue.record("a batched request failed: \(outcome)")
                return
            }
            decoded += result.timings.decodeTokens
        }
        let own = prompts.reduce(0) { $0 + $1.count - prefix }
        #expect(batched.evaluatedTokenCount == prefix + own + decoded)
        #expect(batched.sharedPrefixLength == prefix)
    }

    @Test func batchedLabelScoresEqualSequentialOnes() throws {
        let model = try Self.model()
        let sequential = try Session(model: model, threads: 2)
        let batched = try BatchedSession(model: model, threads: 2, batchSize: 3)
        let tokenizer = model.tokenizer
        let candidates = [" positive", " negative", " neutral sentiment"].map { tokenizer.encode($0, addSpecial: false) }
        #expect(candidates.contains { $0.count > 1 })
        let prompts = Self.sentences.prefix(4).map {
            Self.prompt($0, tokenizer: tokenizer) + tokenizer.encode("Sentiment:", addSpecial: false)
        }
        let outcomes = batched.run(prompts.map { .score(promptIDs: $0, candidateIDs: candidates) })
        var evaluated = 0
        for (prompt, outcome) in zip(prompts, outcomes) {
            guard case .scored(let scored) = outcome else {
                Issue.record("a batched scoring failed: \(outcome)")
                continue
            }
            evaluated += scored.evaluatedTokens
            let reference = try sequential.scoreContinuations(promptIDs: prompt, candidateIDs: candidates).logProbabilities
            #expect(scored.logProbabilities.count == reference.count)
            for (score, expected) in zip(scored.logProbabilities, reference) { #expect(abs(score - expected) < 1e-2) }
        }
        // Each request's own tokens, and the shared prefix once, are every token the session evaluated.
        #expect(evaluated + batched.sharedPrefixLength == batched.evaluatedTokenCount)
        #expect(batched.sharedPrefixLength > 0)
    }

    @Test func tooLittleMemoryNamesTheBatchSizeThatFits() throws {
        let model = try Self.model()
        let configuration = model.configuration
        // Keys and values in halves, per position of one sequence, over all layers.
        let perSlot = 2048 * configuration.layerCount * configuration.keyValueLength * 2 * 2
        // Room for 4 caches: 3 slots and the shared prefix.
        let error = #expect(throws: AssayError.self) {
            try BatchedSession(model: model, contextLength: 2048, batchSize: 8, availableMemoryBytes: 4 * perSlot + 1)
        }
        #expect(error?.description.contains("use batch size 3 or less") == true, "\(String(describing: error))")
        #expect(throws: Never.self) {
            try BatchedSession(model: model, contextLength: 2048, batchSize: 3, availableMemoryBytes: 4 * perSlot + 1)
        }
    }

    @Test func aRequestTooLongForTheContextFailsAloneAndTheOthersFinish() throws {
        let model = try Self.model()
        let batched = try BatchedSession(model: model, threads: 2, contextLength: 64, batchSize: 2)
        let short = Self.prompt("Sales rose.", tokenizer: model.tokenizer)
        let long = Self.prompt(String(repeating: "Sales rose again. ", count: 20), tokenizer: model.tokenizer)
        let outcomes = batched.run([
            .generate(promptIDs: long, options: .greedy(maxTokens: 4)),
            .generate(promptIDs: short, options: .greedy(maxTokens: 4)),
        ])
        guard case .failed(let error) = outcomes[0] else {
            Issue.record("the long prompt was evaluated: \(outcomes[0])")
            return
        }
        #expect(error.description.contains("context holds 64"))
        guard case .generated(let result) = outcomes[1] else {
            Issue.record("the short prompt failed: \(outcomes[1])")
            return
        }
        #expect(result.completionTokens > 0)
    }
}
