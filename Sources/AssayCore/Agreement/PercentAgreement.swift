/// The share of agreeing coder pairs: for each unit with two or more scores, the fraction of its
/// coder pairs that gave the same score, averaged over those units. With two coders this is the
/// fraction of units on which they agree.
public enum PercentAgreement {
    public static func compute(_ ratings: Ratings) -> AgreementValue {
        let units = ratings.pairableUnits
        guard !units.isEmpty else { return .noPairableUnits }
        var total = 0.0
        for scores in units {
            var agreeingPairs = 0
            for first in 0..<scores.count {
                for second in (first + 1)..<scores.count where scores[first] == scores[second] {
                    agreeingPairs += 1
                }
            }
            let pairs = scores.count * (scores.count - 1) / 2
            total += Double(agreeingPairs) / Double(pairs)
        }
        return .value(total / Double(units.count))
    }
}
