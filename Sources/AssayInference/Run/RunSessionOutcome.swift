import AssayCore
import AssayStore

/// How a session of a run ended.
public struct RunSessionOutcome: Sendable, Equatable {
    public var status: RunStatus
    public var madeThisSession: Int
    public var parsed: Int
    public var ambiguous: Int
    public var unparsed: Int
    /// Measured seconds of this session, warm-up excluded.
    public var seconds: Double
    /// Energy measured in this session, when a meter ran.
    public var energy: EnergyTally?

    public init(
        status: RunStatus, madeThisSession: Int = 0, parsed: Int = 0, ambiguous: Int = 0, unparsed: Int = 0,
        seconds: Double = 0, energy: EnergyTally? = nil
    ) {
        self.status = status
        self.madeThisSession = madeThisSession
        self.parsed = parsed
        self.ambiguous = ambiguous
        self.unparsed = unparsed
        self.seconds = seconds
        self.energy = energy
    }
}
