/// How one criterion is scored: an ordinal range of integers, or a set of named categories.
public enum RubricScale: Sendable, Equatable {
    /// Consecutive integers from `levels.first` to `levels.last`, each with its description.
    case ordinal(levels: [RubricLevel])
    /// Unordered categories, each with its description.
    case categorical(categories: [RubricLevel])

    /// The levels or categories in the rubric file's order (ordinal levels ascending).
    public var levels: [RubricLevel] {
        switch self {
        case .ordinal(let levels), .categorical(let levels): return levels
        }
    }

    /// What a valid value looks like, for error messages: "1-5" or "consistent|inconsistent".
    public var expectedForm: String {
        switch self {
        case .ordinal(let levels):
            return "\(levels.first?.name ?? "?")-\(levels.last?.name ?? "?")"
        case .categorical(let categories):
            return categories.map(\.name).joined(separator: "|")
        }
    }

    /// Reads one typed value: an integer in range, or a category by name or unique prefix (case-insensitive).
    public func value(from token: String) -> ScoreValue? {
        switch self {
        case .ordinal(let levels):
            guard let number = Int(token), levels.contains(where: { $0.name == String(number) }) else { return nil }
            return .number(Double(number))
        case .categorical(let categories):
            let typed = token.lowercased()
            if let exact = categories.first(where: { $0.name.lowercased() == typed }) {
                return .text(exact.name)
            }
            let matches = categories.filter { $0.name.lowercased().hasPrefix(typed) }
            return matches.count == 1 && !typed.isEmpty ? .text(matches[0].name) : nil
        }
    }

    /// How far apart two values are: the difference of ordinal levels; different categories are
    /// infinitely far apart, so that every threshold counts them as a disagreement.
    public func distance(_ first: ScoreValue, _ second: ScoreValue) -> Double {
        switch (first, second) {
        case (.number(let a), .number(let b)): return abs(a - b)
        default: return first == second ? 0 : .infinity
        }
    }
}
