import AssaySupport
import Foundation
import GGUF

/// Computes an importance matrix for `assay imatrix` as llama-imatrix does: the text is read in
/// chunks of `context` tokens, each in a fresh context, and every matrix product's input over
/// the whole chunk is summed (`ActivationStatistics`). The perplexity of each chunk's second half
/// is measured along the way, as llama-imatrix prints it, so a user can see the text was read sensibly.
public struct ImportanceMeter {
    public let session: Session
    public let settings: ChunkSettings

    public struct Result {
        public let matrix: ImportanceMatrix
        public let chunks: Int
        public let tokens: Int
        public let perplexity: Double
    }

    public init(session: Session, settings: ChunkSettings) throws {
        try settings.validate()
        self.session = session
        self.settings = settings
    }

    /// The matrix over `text`, recording `dataset` as its source; `progress` hears (chunks done, chunks in all, perplexity so far).
    public func measure(text: String, dataset: String, progress: (Int, Int, Double?) -> Void) throws -> Result {
        let vocabulary = session.tokenizer.vocabulary
        let chunks = try settings.split(
            session.tokenizer.encode(text, parseSpecial: false), bos: vocabulary.addBOS ? vocabulary.bosID : nil)
        let statistics = ActivationStatistics()
        let first = settings.context / 2
        var loss = 0.0
        var scored = 0
        progress(0, chunks.count, nil)
        for (chunk, ids) in chunks.enumerated() {
            let rows = try session.chunkLogits(for: ids, from: first, recording: statistics)
            for offset in 0..<(ids.count - 1 - first) {
                let logits = rows[offset]
                loss += Sampler.logNormalizer(logits) - Double(logits[ids[first + offset + 1]])
                scored += 1
            }
            progress(chunk + 1, chunks.count, exp(loss / Double(scored)))
        }
        guard statistics.matrixCount > 0 else {
            throw AssayError(
                "no weight matrix of this model was read; its layers' tensors are not named blk.N.*, so no importance matrix can be made")
        }
        return Result(
            matrix: statistics.importanceMatrix(datasets: [dataset], chunkCount: chunks.count, chunkSize: settings.context),
            chunks: chunks.count, tokens: chunks.count * settings.context, perplexity: exp(loss / Double(scored)))
    }
}
