/// What one generation produced, and how long it took.
public struct GenerationResult: Sendable, Equatable {
    public enum StopReason: String, Sendable {
        /// The model produced an end-of-turn / end-of-text token (not included in `ids`).
        case endOfGeneration = "eos"
        /// One of the requested stop tokens (not included in `ids`).
        case stopToken = "stop_token"
        /// `maxTokens` were generated.
        case maxTokens = "max_tokens"
    }

    /// The generated token ids (without the stop token).
    public let ids: [Int]
    /// The generated text (control tokens left out).
    public let text: String
    public let promptTokens: Int
    /// Prompt tokens whose keys and values were reused from the previous request (shared prefix).
    public let reusedPromptTokens: Int
    public let completionTokens: Int
    public let stopReason: StopReason
    public let timings: GenerationTimings
}

/// Wall-clock seconds of the two phases of a generation.
public struct GenerationTimings: Sendable, Equatable {
    /// Evaluating the prompt tokens (those not reused from the cache).
    public let prefillSeconds: Double
    /// Generating the new tokens.
    public let decodeSeconds: Double
    /// Prompt tokens evaluated during prefill.
    public let prefillTokens: Int
    /// Tokens evaluated during decoding.
    public let decodeTokens: Int

    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(prefillTokens) / prefillSeconds : 0 }
    public var decodeTokensPerSecond: Double { decodeSeconds > 0 ? Double(decodeTokens) / decodeSeconds : 0 }
}
