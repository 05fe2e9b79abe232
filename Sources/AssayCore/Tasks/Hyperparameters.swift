import AssaySupport

/// The decoding settings sent to a backend for every item of a run.
///
/// Every field is optional in a task file: a family's values override the task's defaults, and
/// command-line options override both. `resolved` fills what is still missing with greedy decoding.
public struct Hyperparameters: Codable, Sendable, Equatable {
    /// Items per batch in the case study's Table II; Assay commits predictions in batches of this size.
    public var batchSize: Int?
    public var maxTokens: Int?
    /// 0 means greedy decoding.
    public var temperature: Double?
    public var topP: Double?
    /// 0 means no top-k cut.
    public var topK: Int?
    /// Beam width; 1 means no beam search (Ollama has none).
    public var beamWidth: Int?
    public var seed: Int?
    /// Context window the backend should allocate (Ollama's num_ctx).
    public var contextLength: Int?

    enum CodingKeys: String, CodingKey {
        case batchSize = "batch_size"
        case maxTokens = "max_tokens"
        case temperature
        case topP = "top_p"
        case topK = "top_k"
        case beamWidth = "beam_width"
        case seed
        case contextLength = "context_length"
    }

    public init(
        batchSize: Int? = nil, maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil,
        topK: Int? = nil, beamWidth: Int? = nil, seed: Int? = nil, contextLength: Int? = nil
    ) {
        self.batchSize = batchSize
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.beamWidth = beamWidth
        self.seed = seed
        self.contextLength = contextLength
    }

    /// `self`, with each missing field taken from `fallback`.
    public func overriding(_ fallback: Hyperparameters) -> Hyperparameters {
        Hyperparameters(
            batchSize: batchSize ?? fallback.batchSize, maxTokens: maxTokens ?? fallback.maxTokens,
            temperature: temperature ?? fallback.temperature, topP: topP ?? fallback.topP,
            topK: topK ?? fallback.topK, beamWidth: beamWidth ?? fallback.beamWidth,
            seed: seed ?? fallback.seed, contextLength: contextLength ?? fallback.contextLength)
    }

    /// Every field set: what a run records and sends, so that no backend default leaks in.
    public var resolved: Hyperparameters {
        overriding(
            Hyperparameters(
                batchSize: 8, maxTokens: 96, temperature: 0, topP: 1, topK: 0, beamWidth: 1,
                seed: 42, contextLength: 2048))
    }

    /// Checks ranges; `place` names where the values came from.
    public func validate(at place: String) throws {
        func check(_ ok: Bool, _ what: String) throws {
            if !ok { throw AssayError("\(place): \(what)") }
        }
        try check((batchSize ?? 1) >= 1, "batch_size must be at least 1")
        try check((maxTokens ?? 1) >= 1, "max_tokens must be at least 1")
        try check((temperature ?? 0) >= 0, "temperature must be 0 or more (0 is greedy)")
        try check((0...1).contains(topP ?? 1) && (topP ?? 1) > 0, "top_p must be in (0, 1]")
        try check((topK ?? 0) >= 0, "top_k must be 0 (off) or more")
        try check((beamWidth ?? 1) >= 1, "beam_width must be at least 1")
        try check((contextLength ?? 1) >= 1, "context_length must be at least 1")
    }
}
