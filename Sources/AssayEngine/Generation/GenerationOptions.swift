import AssaySupport

/// How to pick new tokens.
public struct GenerationOptions: Sendable, Equatable {
    /// The most new tokens to generate.
    public var maxTokens: Int
    /// 0 picks the most likely token (greedy); higher values flatten the distribution before sampling.
    public var temperature: Double
    /// Sample only among the k most likely tokens (0: no limit). Ignored when greedy.
    public var topK: Int
    /// Sample only among the most likely tokens whose probabilities sum to p (1: no limit). Ignored when greedy.
    public var topP: Double
    /// The random seed for sampling: the same seed, prompt and options give the same tokens.
    public var seed: UInt64
    /// Tokens that end the generation, besides the model's end-of-turn and end-of-text tokens.
    public var stopTokenIDs: Set<Int>
    /// Set: beam search keeping this many candidate continuations (deterministic; the sampling
    /// options are ignored). Width 1 is greedy decoding.
    public var beamWidth: Int?

    public init(
        maxTokens: Int = 256, temperature: Double = 0, topK: Int = 40, topP: Double = 0.95, seed: UInt64 = 0,
        stopTokenIDs: Set<Int> = [], beamWidth: Int? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.stopTokenIDs = stopTokenIDs
        self.beamWidth = beamWidth
    }

    /// Greedy decoding: always the most likely token.
    public static func greedy(maxTokens: Int = 256) -> GenerationOptions {
        GenerationOptions(maxTokens: maxTokens)
    }

    func validated() throws -> GenerationOptions {
        guard maxTokens >= 0 else { throw AssayError("max tokens must be 0 or more, not \(maxTokens)") }
        guard temperature >= 0, temperature.isFinite else {
            throw AssayError("temperature must be 0 (greedy) or positive, not \(temperature)")
        }
        guard topK >= 0 else { throw AssayError("top-k must be 0 (off) or positive, not \(topK)") }
        guard topP > 0, topP <= 1 else { throw AssayError("top-p must be in (0, 1], not \(topP)") }
        if let beamWidth, beamWidth < 1 { throw AssayError("beam width must be 1 or more, not \(beamWidth)") }
        return self
    }
}
