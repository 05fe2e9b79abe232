/// Percentiles of a set of timings, in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public let samples: Int
    public let p50Ms: Double
    public let p99Ms: Double
    public let maxMs: Double

    /// Nearest-rank percentiles of `milliseconds` (zeros when empty).
    public init(milliseconds: [Double]) {
        let sorted = milliseconds.sorted()
        func rank(_ percentile: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((percentile / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
        samples = sorted.count
        p50Ms = rank(50)
        p99Ms = rank(99)
        maxMs = sorted.last ?? 0
    }
}
