/// A point estimate with a bootstrap percentile interval, and what it takes to reproduce it.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    public let estimate: Double
    public let lower: Double
    public let upper: Double
    /// Coverage, e.g. 0.95.
    public let level: Double
    public let resamples: Int
    public let seed: UInt64

    public var width: Double { upper - lower }
}
