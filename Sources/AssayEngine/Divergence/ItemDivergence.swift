/// One item's figures from `DivergenceMeter.measure(items:)`: over every position of its prompt
/// and answer, and over the positions that predict the answer's tokens alone.
public struct ItemDivergence: Sendable, Equatable, Codable {
    /// Positions scored: each predicts the token after it, so one fewer than the item's tokens.
    public let tokensScored: Int
    public let answerTokensScored: Int
    /// Mean KL(base ‖ model) over the positions, in nats.
    public let meanKld: Double
    public let maxKld: Double
    /// Mean KLD over the answer's positions; nil when the answer has no token.
    public let answerMeanKld: Double?
    /// The share of positions whose most probable token is the same for both models.
    public let sameTopToken: Double

    public init(
        tokensScored: Int, answerTokensScored: Int, meanKld: Double, maxKld: Double, answerMeanKld: Double?, sameTopToken: Double
    ) {
        self.tokensScored = tokensScored
        self.answerTokensScored = answerTokensScored
        self.meanKld = meanKld
        self.maxKld = maxKld
        self.answerMeanKld = answerMeanKld
        self.sameTopToken = sameTopToken
    }
}
