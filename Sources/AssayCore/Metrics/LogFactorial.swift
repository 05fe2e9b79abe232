import Foundation

/// ln(n!), through the log-gamma function so large n neither overflows nor loops.
func logFactorial(_ n: Int) -> Double {
    // The type annotation picks the C function over the tuple-returning overload that Glibc adds.
    let value: Double = lgamma(Double(n) + 1)
    return value
}
