import AssaySupport
import Foundation

/// The exact McNemar test on paired correctness: did the change between two runs flip more
/// items one way than the other? Two-sided binomial test on the discordant items with p = 1/2,
/// as statsmodels' `mcnemar(table, exact=True)` computes it.
public struct McNemarTest: Sendable, Equatable {
    public let bothCorrect: Int
    /// Right before, wrong after.
    public let onlyBeforeCorrect: Int
    /// Wrong before, right after.
    public let onlyAfterCorrect: Int
    public let bothWrong: Int
    public let pValue: Double

    public var itemCount: Int { bothCorrect + onlyBeforeCorrect + onlyAfterCorrect + bothWrong }

    /// From the 2x2 table [[both right, only before right], [only after right, both wrong]].
    public init(bothCorrect: Int, onlyBeforeCorrect: Int, onlyAfterCorrect: Int, bothWrong: Int) {
        self.bothCorrect = bothCorrect
        self.onlyBeforeCorrect = onlyBeforeCorrect
        self.onlyAfterCorrect = onlyAfterCorrect
        self.bothWrong = bothWrong
        let discordant = onlyBeforeCorrect + onlyAfterCorrect
        pValue = min(1, 2 * Self.binomialCDF(min(onlyBeforeCorrect, onlyAfterCorrect), trials: discordant))
    }

    /// From two runs over the same items in the same order; an unparsed answer is wrong.
    public init(before: LabeledPredictions, after: LabeledPredictions) throws {
        guard before.truth == after.truth else {
            throw AssayError("McNemar needs the same items in both runs; pass only their shared items, in one order")
        }
        var cells = (0, 0, 0, 0)
        for index in 0..<before.count {
            let beforeRight = before.predicted[index] == before.truth[index]
            let afterRight = after.predicted[index] == after.truth[index]
            switch (beforeRight, afterRight) {
            case (true, true): cells.0 += 1
            case (true, false): cells.1 += 1
            case (false, true): cells.2 += 1
            case (false, false): cells.3 += 1
            }
        }
        self.init(bothCorrect: cells.0, onlyBeforeCorrect: cells.1, onlyAfterCorrect: cells.2, bothWrong: cells.3)
    }

    /// P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n does not underflow.
    private static func binomialCDF(_ k: Int, trials n: Int) -> Double {
        let logHalfPower = -Double(n) * log(2.0)
        let logFactorialN = logFactorial(n)
        var sum = 0.0
        for i in 0...k {
            sum += exp(logFactorialN - logFactorial(i) - logFactorial(n - i) + logHalfPower)
        }
        return sum
    }
}
