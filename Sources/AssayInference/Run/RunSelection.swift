import AssayCore
import AssayStore
import Foundation

/// Which of a dataset's items a run covers, in which order: all, the first `limit`, or `sample`
/// items drawn with `seed`. Stored as JSON on the run, so that a resumed run sees the same items.
public struct RunSelection: Codable, Sendable, Equatable {
    public var limit: Int?
    public var sample: Int?
    public var seed: UInt64?

    public init(limit: Int? = nil, sample: Int? = nil, seed: UInt64? = nil) {
        self.limit = limit
        self.sample = sample
        self.seed = seed
    }

    /// The JSON stored in `run.selection` (sorted keys, so that equal selections compare equal).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public init(json: String, runID: Int64) throws {
        do {
            self = try JSONDecoder().decode(RunSelection.self, from: Data(json.utf8))
        } catch {
            throw AssayError("run \(runID): its stored selection '\(json)' is not readable; start a new run instead of resuming")
        }
    }

    /// The selected items. A sample is a seeded Fisher-Yates shuffle of the dataset, cut to
    /// `sample` items, then put back in dataset order.
    public func items(from all: [ItemRecord]) -> [ItemRecord] {
        if let sample {
            var generator = SplitMix64(seed: seed ?? 0)
            var positions = Array(all.indices)
            for index in positions.indices.reversed() where index > 0 {
                positions.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            return positions.prefix(sample).sorted().map { all[$0] }
        }
        if let limit { return Array(all.prefix(limit)) }
        return all
    }
}
