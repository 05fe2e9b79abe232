import AssaySupport

/// Which of a dataset's items a run covers, in which order: all, the first `limit`, or `sample`
/// items drawn with `seed`; for imported predictions, the file they came from. Stored with the
/// run, so that a resumed run sees the same items.
public struct RunSelection: Codable, Sendable, Equatable {
    public var limit: Int?
    public var sample: Int?
    public var seed: UInt64?
    /// The file imported predictions came from, and its SHA-256.
    public var importedFrom: String?
    public var importedSHA256: String?

    enum CodingKeys: String, CodingKey {
        case limit, sample, seed
        case importedFrom = "imported_from"
        case importedSHA256 = "sha256"
    }

    public init(limit: Int? = nil, sample: Int? = nil, seed: UInt64? = nil) {
        self.limit = limit
        self.sample = sample
        self.seed = seed
    }

    /// The selection of a run of predictions imported from `path`.
    public static func imported(from path: String, sha256: String) -> RunSelection {
        var selection = RunSelection()
        selection.importedFrom = path
        selection.importedSHA256 = sha256
        return selection
    }

    /// The selected elements. A sample is a seeded Fisher-Yates shuffle of the dataset, cut to
    /// `sample` elements, then put back in dataset order.
    public func pick<Element>(from all: [Element]) -> [Element] {
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
