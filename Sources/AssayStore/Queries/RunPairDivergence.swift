import AssayCore

/// The newest `assay divergence --dataset` of a pair of runs: the measurement, and each item's
/// figures with the item's dataset row, in dataset order.
public struct RunPairDivergence: Sendable {
    public struct Item: Sendable, Equatable {
        /// The item's 1-based row in the dataset file.
        public let row: Int
        public let figures: ItemDivergenceRecord
    }

    public let divergence: DivergenceRecord
    public let items: [Item]
}
