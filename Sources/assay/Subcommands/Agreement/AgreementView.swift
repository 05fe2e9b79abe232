import AssayCore
import AssayStore

/// The JSON shape of one criterion's agreement figures. A coefficient that has no value for these
/// scores is `null` with the reason beside it, never NaN.
struct AgreementView: Encodable {
    struct Coefficient: Encodable {
        let value: Double?
        let undefinedReason: String?

        init(_ value: AgreementValue?) {
            switch value {
            case .value(let number)?:
                self.value = number
                undefinedReason = nil
            case .undefined(let reason)?:
                self.value = nil
                undefinedReason = reason
            case nil:
                self.value = nil
                undefinedReason = "needs exactly two coders"
            }
        }
    }

    let rubric: String
    let rubricVersion: String
    let criterion: String
    let coders: [String]
    /// Items with two or more scores.
    let items: Int
    /// Items every coder scored (Fleiss' kappa uses these).
    let completeItems: Int
    let categorical: Bool
    let percentAgreement: Coefficient
    let cohenKappa: Coefficient
    let cohenKappaLinear: Coefficient
    let cohenKappaQuadratic: Coefficient
    let fleissKappa: Coefficient
    let krippendorffAlphaNominal: Coefficient
    let krippendorffAlphaOrdinal: Coefficient
    let krippendorffAlphaInterval: Coefficient

    init(_ scores: CriterionScores, _ report: AgreementReport) {
        rubric = scores.rubric
        rubricVersion = scores.rubricVersion
        criterion = scores.criterion
        coders = report.coders
        items = report.pairableItemCount
        completeItems = report.completeItemCount
        categorical = report.categorical
        percentAgreement = Coefficient(report.percentAgreement)
        cohenKappa = Coefficient(report.cohensKappa[.unweighted])
        cohenKappaLinear = Coefficient(report.cohensKappa[.linear])
        cohenKappaQuadratic = Coefficient(report.cohensKappa[.quadratic])
        fleissKappa = Coefficient(report.fleissKappa)
        krippendorffAlphaNominal = Coefficient(report.krippendorffAlpha[.nominal])
        krippendorffAlphaOrdinal = Coefficient(report.krippendorffAlpha[.ordinal])
        krippendorffAlphaInterval = Coefficient(report.krippendorffAlpha[.interval])
    }
}
