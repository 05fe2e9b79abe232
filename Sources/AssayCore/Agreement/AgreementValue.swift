import AssaySupport

/// An agreement coefficient, or why it has no value for these scores (for instance every score
/// is identical, so chance agreement is already perfect and the coefficient divides by zero).
public enum AgreementValue: Sendable, Equatable, CustomStringConvertible {
    case value(Double)
    case undefined(reason: String)

    public var number: Double? {
        if case .value(let number) = self { number } else { nil }
    }

    /// Four decimals, or "undefined (reason)"; never "nan".
    public var description: String {
        switch self {
        case .value(let number): formatFixed(number, decimals: 4)
        case .undefined(let reason): "undefined (\(reason))"
        }
    }

    static let noPairableUnits = AgreementValue.undefined(reason: "no unit has two or more scores")
    static let identicalScores = AgreementValue.undefined(reason: "every score is identical, so chance agreement is perfect")
}
