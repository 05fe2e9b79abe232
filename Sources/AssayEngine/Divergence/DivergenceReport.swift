/// What quantization changed in a model's next-token distributions, per scored token, as
/// llama-perplexity's `--kl-divergence` reports it: KL divergence from the base, top-token
/// agreement, the change in the actual token's probability, and both perplexities.
public struct DivergenceReport: Sendable, Equatable, Codable {
    /// A mean with its standard error.
    public struct Estimate: Sendable, Equatable, Codable {
        public let value: Double
        public let standardError: Double
    }

    public struct Divergence: Sendable, Equatable, Codable {
        public let mean: Estimate
        public let median: Double
        public let p90: Double
        public let p95: Double
        public let p99: Double
        public let p999: Double
        public let max: Double
    }

    public let chunks: Int
    public let context: Int
    public let tokensScored: Int
    /// KL(base ‖ model) per token, in nats.
    public let kld: Divergence
    /// The share of positions where both models' most probable token is the same.
    public let sameTopToken: Estimate
    /// Root mean square of p_model(token) − p_base(token) for the text's actual next token.
    public let rmsDeltaP: Double
    public let meanDeltaP: Estimate
    public let basePerplexity: Estimate
    public let modelPerplexity: Estimate
    /// PPL(model) / PPL(base).
    public let perplexityRatio: Double
}
