import AssayCore

/// The items whose answer changed between right and wrong from one run to the other: what
/// accuracy alone hides when as many items flip one way as the other (Dutta et al., "Accuracy is
/// Not All You Need", NeurIPS 2024).
public struct Flips: Sendable, Encodable, Equatable {
    /// What right means: "label" for classification, else the pass/fail figure ("exact_match").
    public let metric: String
    /// Dataset rows (1-based) right before and wrong after.
    public let rightToWrong: [Int]
    /// Dataset rows wrong before and right after.
    public let wrongToRight: [Int]
    /// Every shared item's cell, flipped or not: what `assay divergence --dataset` stores beside each item's KLD.
    public let categories: [ItemID: FlipCategory]

    private enum CodingKeys: String, CodingKey {
        case metric, rightToWrong, wrongToRight
    }

    /// `pairs` are (item, row, right before, right after) for each shared item.
    init(metric: String, pairs: [(item: ItemID, row: Int, before: Bool, after: Bool)]) {
        self.metric = metric
        rightToWrong = pairs.filter { $0.before && !$0.after }.map(\.row)
        wrongToRight = pairs.filter { !$0.before && $0.after }.map(\.row)
        categories = Dictionary(
            pairs.map { ($0.item, FlipCategory(before: $0.before, after: $0.after)) }, uniquingKeysWith: { first, _ in first })
    }
}
