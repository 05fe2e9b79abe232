import AssaySupport

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

    /// Whether the scores were category names; then only the nominal figures are defined.
    public let categorical: Bool

    /// From rubric scores, one row per item and one value (or nil) per coder. Category names are
    /// compared for equality only; a criterion must not mix numbers and categories.
    public init(criterion: String, coders: [String], scores: [[ScoreValue?]]) throws {
        let categories = Set(
            scores.joined().compactMap { value -> String? in
                if case .text(let name)? = value { name } else { nil }
            }
        ).sorted()
        let hasNumbers = scores.joined().contains { if case .number? = $0 { true } else { false } }
        if hasNumbers && !categories.isEmpty {
            throw AssayError(
                "criterion '\(criterion)' mixes numbers and categories (\(categories.prefix(3).joined(separator: ", "))); fix the scores so each criterion uses one scale"
            )
        }
        let code = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, Double($0)) })
        let units = scores.map { row in
            row.map { value -> Double? in
                switch value {
                case .number(let number)?: number
                case .text(let name)?: code[name]
                case nil: nil
                }
            }
        }
        try self.init(criterion: criterion, ratings: try Ratings(coders: coders, units: units), categorical: !categories.isEmpty)
    }

    public init(criterion: String, ratings: Ratings, categorical: Bool = false) throws {
        self.criterion = criterion
        self.categorical = categorical
        coders = ratings.coders
        pairableItemCount = ratings.pairableUnits.count
        completeItemCount = ratings.completeUnits.count
        percentAgreement = PercentAgreement.compute(ratings)
        var cohen: [KappaWeighting: AgreementValue] = [:]
        let notNumbers = AgreementValue.undefined(reason: "the scores are categories, not numbers")
        if ratings.coders.count == 2 {
            for weighting in KappaWeighting.allCases {
                cohen[weighting] =
                    categorical && weighting != .unweighted
                    ? notNumbers : try CohensKappa.compute(ratings, weighting: weighting)
            }
        }
        cohensKappa = cohen
        fleissKappa = FleissKappa.compute(ratings)
        krippendorffAlpha = Dictionary(
            uniqueKeysWithValues: MeasurementLevel.allCases.map {
                ($0, categorical && $0 != .nominal ? notNumbers : KrippendorffAlpha.compute(ratings, level: $0))
            })
    }
}
