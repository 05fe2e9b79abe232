import AssaySupport

/// How `assay divergence` and `assay imatrix` cut a text, as llama-perplexity and llama-imatrix
/// do: chunks of `context` tokens (the first of each replaced by BOS where the model adds one),
/// each scored on its second half.
public struct ChunkSettings: Sendable, Equatable, Codable {
    public var context: Int
    /// At most this many chunks; nil: as many as the text fills.
    public var chunks: Int?

    public init(context: Int = 512, chunks: Int? = nil) {
        self.context = context
        self.chunks = chunks
    }

    public func validate() throws {
        guard context >= 8 else {
            throw AssayError("--context \(context) is too short; give at least 8 tokens (llama-perplexity uses 512)")
        }
        if let chunks, chunks < 1 { throw AssayError("--chunks \(chunks): give at least 1") }
    }

    /// The chunks of `tokens`: whole chunks only, at most `chunks` of them, each starting with `bos` when given.
    public func split(_ tokens: [Int], bos: Int?) throws -> [[Int]] {
        let available = tokens.count / context
        guard available >= 1 else {
            throw AssayError(
                "the text has \(tokens.count) tokens, fewer than one chunk of \(context); give a longer text or a smaller --context")
        }
        return (0..<min(available, chunks ?? available)).map { chunk in
            var ids = Array(tokens[(chunk * context)..<((chunk + 1) * context)])
            if let bos { ids[0] = bos }
            return ids
        }
    }
}
