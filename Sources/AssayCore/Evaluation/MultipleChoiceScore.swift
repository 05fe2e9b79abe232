/// lm-evaluation-harness's multiple-choice scoring from each option's log-likelihood: acc picks
/// the most likely option, acc_norm the most likely per character of the option's text (ties go
/// to the first option, as NumPy's argmax breaks them).
public struct MultipleChoiceScore: Sendable, Equatable {
    /// 0-based index of the option with the highest log-likelihood.
    public let pick: Int
    /// 0-based index of the option with the highest log-likelihood per character.
    public let normalizedPick: Int

    public init(logLikelihoods: [Double], choices: [String]) {
        precondition(!choices.isEmpty && logLikelihoods.count == choices.count, "one log-likelihood per option")
        pick = Self.firstMaximum(logLikelihoods)
        normalizedPick = Self.firstMaximum(zip(logLikelihoods, choices).map { $0 / Double($1.unicodeScalars.count) })
    }

    public func accuracy(gold: Int) -> Double { pick == gold ? 1 : 0 }
    public func normalizedAccuracy(gold: Int) -> Double { normalizedPick == gold ? 1 : 0 }

    private static func firstMaximum(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}
