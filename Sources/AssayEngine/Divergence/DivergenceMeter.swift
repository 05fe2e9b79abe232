import AssaySupport
import Foundation

/// Measures a model against its base on one text, chunk by chunk, as llama-perplexity
/// `--kl-divergence` does: each chunk of `context` tokens is evaluated in a fresh context by both
/// models, and every position of its second half but the last is scored against the next token.
public struct DivergenceMeter {
    public let base: Session
    public let model: Session
    public let settings: DivergenceSettings

    public init(base: Session, model: Session, settings: DivergenceSettings) throws {
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
}
