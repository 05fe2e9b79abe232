import Foundation

/// `value` with exactly `decimals` digits after the point ("0.6984"), the same on every locale.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", locale: nil, value)
}
