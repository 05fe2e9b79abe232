import AssayCore
import AssayStore
import AssaySupport

/// The order in which a session serves predictions.
public enum ReviewOrder: String, Sendable, CaseIterable {
    /// A per-annotator shuffle: the same annotator and seed always give the same order, so a
    /// resumed session continues where it stopped, and annotators do not all start on the same items.
    case shuffled
    /// By run, then by the item's row in the dataset file.
    case sequential

    public func arrange(_ entries: [ReviewQueueEntry], seed: UInt64) -> [ReviewQueueEntry] {
        switch self {
        case .sequential:
            return entries
        case .shuffled:
            // Our own Fisher-Yates over our own generator: the standard library's shuffle may change
            // between toolchains, and a changed order would break resuming.
            var generator = SplitMix64(seed: seed)
            var shuffled = entries
            for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
                let other = Int(generator.next() % UInt64(index + 1))
                shuffled.swapAt(index, other)
            }
            return shuffled
        }
    }

    /// The default seed of an annotator: FNV-1a of the name, stable across runs and machines.
    public static func seed(forAnnotator name: String) -> UInt64 {
        name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
