/// What a `Quantizer` run did, for the command line to report.
public struct QuantizationSummary: Sendable {
    public let target: QuantizationTarget
    /// Every tensor of the output file, in order, with the type it was written in.
    public let tensorTypes: [(name: String, type: GGMLType)]
    /// Tensors re-encoded into a new type.
    public let convertedCount: Int
    /// Tensors whose bytes were copied unchanged because the source already had the chosen type.
    public let copiedCount: Int
    /// Quantized source tensors that had to be dequantized before re-encoding, per source type:
    /// their output carries the error of both quantizations.
    public let dequantizedSources: [GGMLType: Int]
    /// Weight matrices kept at Q8_0 instead of a 4/5-bit target (token embedding, output).
    public let keptAtQ8_0: [String]
    /// Matrices whose rows are not whole 32-element blocks, written as F16 instead.
    public let fellBackToF16: [String]
    public let inputBytes: Int
    public let outputBytes: Int
    /// Tensors encoded with an importance matrix's column weights.
    public let weightedByImportance: Int

    /// How many output tensors have each type.
    public var typeCounts: [GGMLType: Int] {
        tensorTypes.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }
}
