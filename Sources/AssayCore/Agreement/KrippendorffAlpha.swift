/// Krippendorff's alpha for any number of coders, missing scores allowed, at a given level of
/// measurement: 1 - observed disagreement / disagreement expected by chance, both computed from
/// the coincidence matrix of the scores in units with two or more scores (Krippendorff 2011,
/// "Computing Krippendorff's Alpha-Reliability"). Matches the `krippendorff` Python package.
public enum KrippendorffAlpha {
    public static func compute(_ ratings: Ratings, level: MeasurementLevel) -> AgreementValue {
        let units = ratings.pairableUnits
        guard !units.isEmpty else { return .noPairableUnits }
        let values = Array(Set(units.joined())).sorted()
        let position = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        let size = values.count
        // coincidences[c][k]: pairs of scores (c, k) from different coders in one unit, each unit
        // contributing 1 / (scores - 1) per ordered pair so that it adds up to its score count.
        var coincidences = Array(repeating: 0.0, count: size * size)
        for scores in units {
            let weight = 1 / Double(scores.count - 1)
            let indices = scores.compactMap { position[$0] }
            for first in indices.indices {
                for second in indices.indices where first != second {
                    coincidences[indices[first] * size + indices[second]] += weight
                }
            }
        }
        let marginals = (0..<size).map { row in (0..<size).reduce(0.0) { $0 + coincidences[row * size + $1] } }
        let total = marginals.reduce(0, +)
        let distance = distanceFunction(level: level, values: values, marginals: marginals)
        var observed = 0.0
        var expected = 0.0
        for row in 0..<size {
            for column in 0..<size where row != column {
                let squared = distance(row, column)
                observed += coincidences[row * size + column] * squared
                expected += marginals[row] * marginals[column] * squared
            }
        }
        guard expected > 0 else { return .identicalScores }
        return .value(1 - (total - 1) * observed / expected)
    }

    /// The squared distance between the scores at two positions of the sorted distinct values.
    private static func distanceFunction(
        level: MeasurementLevel, values: [Double], marginals: [Double]
    ) -> (Int, Int) -> Double {
        switch level {
        case .nominal:
            return { $0 == $1 ? 0 : 1 }
        case .interval:
            return { (values[$0] - values[$1]) * (values[$0] - values[$1]) }
        case .ordinal:
            // Cumulative marginals so a rank distance is one subtraction.
            var cumulative = [0.0]
            for marginal in marginals { cumulative.append(cumulative[cumulative.count - 1] + marginal) }
            return { first, second in
                let low = min(first, second)
                let high = max(first, second)
                let between = cumulative[high + 1] - cumulative[low] - (marginals[low] + marginals[high]) / 2
                return between * between
            }
        }
    }
}
