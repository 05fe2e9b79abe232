/// How much a disagreement between categories i and j counts in a weighted kappa, with i and j
/// the positions of the scores among the sorted categories used (scikit-learn's convention).
public enum KappaWeighting: String, Sendable, CaseIterable {
    /// Every disagreement counts fully: Cohen's original kappa.
    case unweighted
    /// |i - j|: for ordinal scales, near misses count less.
    case linear
    /// (i - j)^2: near misses count much less.
    case quadratic

    func disagreement(_ first: Int, _ second: Int) -> Double {
        let distance = Double(abs(first - second))
        switch self {
        case .unweighted: return distance == 0 ? 0 : 1
        case .linear: return distance
        case .quadratic: return distance * distance
        }
    }
}
