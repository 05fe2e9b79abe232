import AssaySupport

/// How many resamples a bootstrap draws, from which seed, for which coverage.
public struct BootstrapSettings: Sendable, Equatable {
    public static let defaultResamples = 1000
    public static let defaultSeed: UInt64 = 20_261_122
    /// Far beyond what any interval needs; the bound keeps a typo from asking for memory and
    /// time the machine does not have.
    public static let maximumResamples = 1_000_000

    public let resamples: Int
    public let seed: UInt64
    public let level: Double

    public init(resamples: Int = defaultResamples, seed: UInt64 = defaultSeed, level: Double = 0.95) throws {
        guard resamples >= 1 else {
            throw AssayError("bootstrap resamples must be at least 1 (got \(resamples)); 1000 is the usual choice")
        }
        guard resamples <= Self.maximumResamples else {
            throw AssayError(
                "bootstrap resamples must be at most \(Self.maximumResamples) (got \(resamples)); 1000 is the usual choice, 10000 for a paper"
            )
        }
        guard level > 0, level < 1 else {
            throw AssayError("confidence level must lie strictly between 0 and 1 (got \(level)); use e.g. 0.95")
        }
        self.resamples = resamples
        self.seed = seed
        self.level = level
    }
}
