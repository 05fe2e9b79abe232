/// Fleiss' kappa for any number of coders, over the units every coder scored (the statistic
/// assumes the same number of ratings per unit); the same figure as statsmodels' `fleiss_kappa`.
public enum FleissKappa {
    public static func compute(_ ratings: Ratings) -> AgreementValue {
        let units = ratings.completeUnits
        let raters = ratings.coders.count
        guard raters >= 2 else { return .undefined(reason: "Fleiss' kappa needs two or more coders") }
        guard !units.isEmpty else { return .undefined(reason: "no unit was scored by every coder") }
        let categories = Array(Set(units.joined())).sorted()
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var categoryTotals = Array(repeating: 0.0, count: categories.count)
        var meanUnitAgreement = 0.0
        for scores in units {
            var perCategory = Array(repeating: 0.0, count: categories.count)
            for score in scores {
                guard let index = position[score] else { continue }
                perCategory[index] += 1
            }
            for index in perCategory.indices { categoryTotals[index] += perCategory[index] }
            let squares = perCategory.reduce(0) { $0 + $1 * $1 }
            meanUnitAgreement += (squares - Double(raters)) / Double(raters * (raters - 1))
        }
        meanUnitAgreement /= Double(units.count)
        let ratingCount = Double(units.count * raters)
        let chanceAgreement = categoryTotals.reduce(0) { $0 + ($1 / ratingCount) * ($1 / ratingCount) }
        guard chanceAgreement < 1 else { return .identicalScores }
        return .value((meanUnitAgreement - chanceAgreement) / (1 - chanceAgreement))
    }
}
