/// Each continuation's log-probability after a prompt, and the tokens the engine evaluated to get
/// them (the prompt less its reused part, and every continuation token after the first), which
/// share a batch's energy as generation's tokens do.
public struct ContinuationScores: Sendable, Equatable {
    public var logProbabilities: [Double]
    public var evaluatedTokens: Int

    public init(logProbabilities: [Double], evaluatedTokens: Int) {
        self.logProbabilities = logProbabilities
        self.evaluatedTokens = evaluatedTokens
    }
}
