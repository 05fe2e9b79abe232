/// How far a run has come in this session.
public struct RunProgress: Sendable, Equatable {
    /// Items with a prediction, earlier sessions included.
    public var done: Int
    /// Items the run's selection holds.
    public var total: Int
    /// Predictions made in this session.
    public var madeThisSession: Int
    /// Measured seconds of this session, warm-up excluded.
    public var seconds: Double
    /// Tokens generated in this session, where the backend reports them.
    public var completionTokens: Int

    public init(done: Int, total: Int, madeThisSession: Int = 0, seconds: Double = 0, completionTokens: Int = 0) {
        self.done = done
        self.total = total
        self.madeThisSession = madeThisSession
        self.seconds = seconds
        self.completionTokens = completionTokens
    }

    /// Predictions per second in this session.
    public var rate: Double { seconds > 0 ? Double(madeThisSession) / seconds : 0 }
    public var tokensPerSecond: Double { seconds > 0 ? Double(completionTokens) / seconds : 0 }
    /// Seconds left at this session's rate, when known.
    public var secondsLeft: Double? { rate > 0 ? Double(total - done) / rate : nil }
}
