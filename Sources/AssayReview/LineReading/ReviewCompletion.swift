import AssayCore

/// What Tab offers: command names first, then each command's values (filter terms with the
/// session's labels and runs), or a criterion's categories while a score is being typed.
public struct ReviewCompletion: Sendable {
    public let rubric: Rubric
    public let filterTerms: [String]

    public init(rubric: Rubric, labels: [String], runChoices: [String]) {
        self.rubric = rubric
        filterTerms =
            ["off", "mismatches"]
            + labels.map { "gold=\($0)" }
            + (labels + [ReviewFilter.noPrediction]).map { "predicted=\($0)" }
            + runChoices.map { "run=\($0)" }
    }

    /// The candidates for `word`, the word under the cursor, given the text typed before it.
    public func candidates(before: String, word: String) -> [String] {
        let previous = before.split(whereSeparator: \.isWhitespace).map(String.init)
        let options: [String]
        if let first = previous.first {
            if first.lowercased() == "filter" {
                options = filterTerms
            } else if previous.count < rubric.criteria.count, rubric.criteria.first?.scale.value(from: first) != nil {
                options = rubric.criteria[previous.count].scale.levels.map(\.name)
            } else {
                options = []
            }
        } else {
            options = ReviewAction.names
        }
        let typed = word.lowercased()
        return options.filter { $0.lowercased().hasPrefix(typed) }
    }
}
