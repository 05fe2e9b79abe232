import GGUF

/// What `assay imatrix` gathers while the model reads calibration text: for every weight matrix
/// of the layers, the sum of each input column's squared activation and how many tokens were
/// summed, as llama-imatrix collects them (batches of fewer than 16 tokens are skipped, as there;
/// the output matrix is left out). Sums are kept in Double so long texts lose nothing to rounding.
public final class ActivationStatistics {
    private var sums: [String: [Double]] = [:]
    private var counts: [String: Int] = [:]

    public init() {}

    /// The matrices seen so far.
    public var matrixCount: Int { sums.count }

    /// Adds `count` input rows of `columns` values entering matrix `name`.
    func add(_ name: String, input: UnsafePointer<Float>, columns: Int, count: Int) {
        guard count >= 16, name.hasPrefix("blk."), sums[name]?.count ?? columns == columns else { return }
        // Summed in place: taking the array out of the dictionary would copy it on every product.
        sums[name, default: [Double](repeating: 0, count: columns)].withUnsafeMutableBufferPointer { total in
            for row in 0..<count {
                let values = input + row * columns
                for column in 0..<columns { total[column] += Double(values[column] * values[column]) }
            }
        }
        counts[name, default: 0] += count
    }

    /// The statistics as an importance matrix file's contents.
    public func importanceMatrix(datasets: [String], chunkCount: Int, chunkSize: Int) -> ImportanceMatrix {
        var entries: [String: ImportanceMatrix.Entry] = [:]
        for (name, total) in sums {
            entries[name] = ImportanceMatrix.Entry(sums: total.map { Float($0) }, counts: [Float(counts[name] ?? 0)])
        }
        return ImportanceMatrix(entries: entries, datasets: datasets, chunkCount: chunkCount, chunkSize: chunkSize)
    }
}
