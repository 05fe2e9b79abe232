import AssayCore
import AssayStore

/// Per-item KL divergence set beside the flips: the mean over the items of each flip category,
/// and over the flipped and the unflipped items, each item counting once whatever its length.
public struct FlipDivergence: Sendable, Encodable, Equatable {
    public struct Group: Sendable, Encodable, Equatable {
        public let items: Int
        /// Nats; nil when the group has no item.
        public let meanKld: Double?
        /// Over the answers' positions alone, for the items whose answer has a token.
        public let meanAnswerKld: Double?

        init(_ members: [ItemDivergenceRecord]) {
            items = members.count
            meanKld = Self.mean(members.map(\.meanKld))
            meanAnswerKld = Self.mean(members.compactMap(\.answerMeanKld))
        }

        private static func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
    }

    public struct Category: Sendable, Encodable, Equatable {
        public let flip: FlipCategory
        public let items: Int
        public let meanKld: Double?
        public let meanAnswerKld: Double?

        init(flip: FlipCategory, group: Group) {
            self.flip = flip
            items = group.items
            meanKld = group.meanKld
            meanAnswerKld = group.meanAnswerKld
        }
    }

    /// Every category, in `FlipCategory`'s order, empty ones included; none when no item has a
    /// flip (a task with no pass/fail figure).
    public let categories: [Category]
    public let flipped: Group
    public let unflipped: Group

    public init(_ items: [ItemDivergenceRecord]) {
        let classified = items.filter { $0.flip != nil }
        categories =
            classified.isEmpty
            ? [] : FlipCategory.allCases.map { flip in Category(flip: flip, group: Group(classified.filter { $0.flip == flip })) }
        flipped = Group(classified.filter { $0.flip?.isFlip == true })
        unflipped = Group(classified.filter { $0.flip?.isFlip == false })
    }
}
