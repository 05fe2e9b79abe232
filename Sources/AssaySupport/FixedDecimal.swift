import Foundation

/// `value` with exactly `decimals` digits after the point ("0.6984"), the same on every locale.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", locale: nil, value)
}

/// `value` to `digits` significant digits without trailing zeros ("43.6048", "0.000123198",
/// "1.5e-09"), the same on every locale: for figures whose magnitude varies by orders.
public func formatSignificant(_ value: Double, digits: Int) -> String {
    String(format: "%.\(digits)g", locale: nil, value)
}
