/// How far the annotator is through the items in view.
public struct ReviewProgress: Sendable, Equatable {
    public let scored: Int
    public let total: Int
    /// Skipped in this session and still unscored.
    public let skipped: Int

    public init(scored: Int, total: Int, skipped: Int) {
        self.scored = scored
        self.total = total
        self.skipped = skipped
    }

    /// "12/200 scored - 3 skipped".
    public var summary: String {
        "\(scored)/\(total) scored" + (skipped > 0 ? " - \(skipped) skipped" : "")
    }
}
