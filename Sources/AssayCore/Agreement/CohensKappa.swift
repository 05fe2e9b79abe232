import AssaySupport

/// Cohen's kappa for two coders, optionally weighted, over the units both scored; the same
/// figure as scikit-learn's `cohen_kappa_score(first, second, weights=...)`.
public enum CohensKappa {
    public static func compute(_ ratings: Ratings, weighting: KappaWeighting = .unweighted) throws -> AgreementValue {
        guard ratings.coders.count == 2 else {
            throw AssayError(
                "Cohen's kappa compares exactly two coders, but there are \(ratings.coders.count) (\(ratings.coders.joined(separator: ", "))); use Fleiss' kappa or Krippendorff's alpha for more"
            )
        }
        let pairs = ratings.units.compactMap { unit -> (Double, Double)? in
            guard let first = unit[0], let second = unit[1] else { return nil }
            return (first, second)
        }
        guard !pairs.isEmpty else { return .undefined(reason: "no unit was scored by both coders") }
        let categories = Array(Set(pairs.flatMap { [$0.0, $0.1] })).sorted()
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let size = categories.count
        var observed = Array(repeating: 0.0, count: size * size)
        var firstTotals = Array(repeating: 0.0, count: size)
        var secondTotals = firstTotals
        for (first, second) in pairs {
            guard let row = position[first], let column = position[second] else { continue }
            observed[row * size + column] += 1
            firstTotals[row] += 1
            secondTotals[column] += 1
        }
        let count = Double(pairs.count)
        var observedDisagreement = 0.0
        var expectedDisagreement = 0.0
        for row in 0..<size {
            for column in 0..<size {
                let weight = weighting.disagreement(row, column)
                observedDisagreement += weight * observed[row * size + column]
                expectedDisagreement += weight * firstTotals[row] * secondTotals[column] / count
            }
        }
        guard expectedDisagreement > 0 else { return .identicalScores }
        return .value(1 - observedDisagreement / expectedDisagreement)
    }
}
