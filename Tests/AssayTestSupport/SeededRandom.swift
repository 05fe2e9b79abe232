import AssayCore
import AssaySupport

/// The project's seedable generator, for test data that is the same on every run.
public typealias SeededRandom = SplitMix64

extension SplitMix64 {
    /// One float, uniform in [low, high).
    public mutating func float(_ low: Float, _ high: Float) -> Float {
        Float.random(in: low..<high, using: &self)
    }

    /// `count` floats, uniform in `range`.
    public mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}
