/// Every agreement figure for one criterion's scores: percent agreement, Cohen's kappa (plain,
/// linear and quadratic) when there are exactly two coders, Fleiss' kappa, and Krippendorff's
/// alpha at the three levels of measurement.
public struct AgreementReport: Sendable, Equatable {
    public let criterion: String
    public let coders: [String]
    /// Units with two or more scores, the ones that can show agreement.
    public let pairableItemCount: Int
    /// Units every coder scored, the ones Fleiss' kappa uses.
    public let completeItemCount: Int
    public let percentAgreement: AgreementValue
    /// Keyed by weighting; empty unless there are exactly two coders.
    public let cohensKappa: [KappaWeighting: AgreementValue]
    public let fleissKappa: AgreementValue
    public let krippendorffAlpha: [MeasurementLevel: AgreementValue]

    public init(criterion: String, ratings: Ratings) throws {
        self.criterion = criterion
        coders = ratings.coders
        pairableItemCount = ratings.pairableUnits.count
        completeItemCount = ratings.completeUnits.count
        percentAgreement = PercentAgreement.compute(ratings)
        var cohen: [KappaWeighting: AgreementValue] = [:]
        if ratings.coders.count == 2 {
            for weighting in KappaWeighting.allCases {
                cohen[weighting] = try CohensKappa.compute(ratings, weighting: weighting)
            }
        }
        cohensKappa = cohen
        fleissKappa = FleissKappa.compute(ratings)
        krippendorffAlpha = Dictionary(uniqueKeysWithValues: MeasurementLevel.allCases.map {
            ($0, KrippendorffAlpha.compute(ratings, level: $0))
        })
    }
}
