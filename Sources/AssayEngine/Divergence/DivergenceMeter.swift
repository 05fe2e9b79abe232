import AssaySupport
import Foundation

/// Measures a model against its base on one text, chunk by chunk, as llama-perplexity
/// `--kl-divergence` does: each chunk of `context` tokens is evaluated in a fresh context by both
/// models, and every position of its second half but the last is scored against the next token.
public struct DivergenceMeter {
    public let base: Session
    public let model: Session
    public let settings: ChunkSettings

    public init(base: Session, model: Session, settings: ChunkSettings) throws {
        try settings.validate()
        guard base.tokenizer.count == model.tokenizer.count else {
            throw AssayError(
                "the two models have different vocabularies (\(base.tokenizer.count) and \(model.tokenizer.count) tokens); compare a quantized model with its own base"
            )
        }
        self.base = base
        self.model = model
        self.settings = settings
    }

    /// The report over `text`; `progress` hears (chunks done, chunks in all).
    public func measure(text: String, progress: (Int, Int) -> Void) throws -> DivergenceReport {
        // As llama-perplexity tokenizes: special tokens added, none parsed from the text.
        let tokens = base.tokenizer.encode(text, parseSpecial: false)
        let chunks = try settings.split(tokens, bos: base.tokenizer.vocabulary.addBOS ? base.tokenizer.vocabulary.bosID : nil)
        var tally = DivergenceTally()
        let first = settings.context / 2
        progress(0, chunks.count)
        for (chunk, ids) in chunks.enumerated() {
            let baseRows = try base.chunkLogits(for: ids, from: first)
            let modelRows = try model.chunkLogits(for: ids, from: first)
            // Logits at position j predict token j + 1; the chunk's last position has nothing to predict.
            for offset in 0..<(ids.count - 1 - first) {
                tally.add(base: baseRows[offset], model: modelRows[offset], next: ids[first + offset + 1])
            }
            progress(chunk + 1, chunks.count)
        }
        return tally.report(chunks: chunks.count, context: settings.context)
    }

    /// Each item's prompt and answer evaluated whole by both models in a fresh context (as one
    /// chunk of a text is) and every position scored against the token after it: the figures per
    /// item, and pooled over every item's positions (the pooled report's `chunks` counts the items).
    /// `progress` hears (items done, items in all).
    public func measure(items: [TeacherForcedTokens], progress: (Int, Int) -> Void) throws -> (
        report: DivergenceReport, items: [ItemDivergence]
    ) {
        var pooled = DivergenceTally()
        var figures: [ItemDivergence] = []
        progress(0, items.count)
        for (index, item) in items.enumerated() {
            let ids = item.prompt + item.answer
            guard ids.count >= 2, ids.count <= settings.context else {
                throw AssayError(
                    "item \(index + 1) of \(items.count) has \(ids.count) tokens; an item needs 2 to \(settings.context) (the context length)"
                )
            }
            let baseRows = try base.chunkLogits(for: ids, from: 0)
            let modelRows = try model.chunkLogits(for: ids, from: 0)
            var prompt = DivergenceTally()
            var answer = DivergenceTally()
            for position in 0..<(ids.count - 1) {
                // The positions from the prompt's last token on predict the answer's tokens.
                if position + 1 >= item.prompt.count {
                    answer.add(base: baseRows[position], model: modelRows[position], next: ids[position + 1])
                } else {
                    prompt.add(base: baseRows[position], model: modelRows[position], next: ids[position + 1])
                }
            }
            var whole = prompt
            whole.add(answer)
            pooled.add(whole)
            let report = whole.report(chunks: 1, context: settings.context)
            figures.append(
                ItemDivergence(
                    tokensScored: whole.count, answerTokensScored: answer.count, meanKld: report.kld.mean.value, maxKld: report.kld.max,
                    answerMeanKld: answer.count > 0 ? answer.report(chunks: 1, context: settings.context).kld.mean.value : nil,
                    sameTopToken: report.sameTopToken.value))
            progress(index + 1, items.count)
        }
        return (pooled.report(chunks: items.count, context: settings.context), figures)
    }
}
