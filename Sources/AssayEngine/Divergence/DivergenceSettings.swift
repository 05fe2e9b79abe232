import AssaySupport

/// How `assay divergence` cuts a text, as llama-perplexity does: chunks of `context` tokens (the
/// first of each replaced by BOS where the model adds one), each scored on its second half.
public struct DivergenceSettings: Sendable, Equatable, Codable {
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
}
