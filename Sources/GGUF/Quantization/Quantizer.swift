import Foundation

/// Re-encodes a GGUF model's tensors into a target type (`assay quantize`).
///
/// Which type each tensor gets, following llama.cpp's common practice (llama-quant.cpp):
/// - 1-D tensors (norms, biases) stay F32: they are tiny and precision-critical.
/// - For 4- and 5-bit targets, `token_embd.weight` and `output.weight` get Q8_0. llama.cpp keeps
///   the output matrix at Q6_K for these targets because errors there hit every logit directly;
///   Assay cannot encode Q6_K, so it uses Q8_0, and treats the embedding the same way since
///   tied-embedding models (SmolLM2) reuse it as the output matrix.
/// - Matrices whose rows are not whole 32-element blocks get F16 (llama.cpp also falls back).
/// - Every other matrix gets the target type.
/// A tensor already in its chosen type is copied byte for byte; a quantized tensor in another
/// type is dequantized first (and counted in the summary: it carries both quantizations' error).
///
/// Metadata is copied in order; `general.file_type` is set to llama.cpp's LLAMA_FTYPE number,
/// `general.name` is replaced when a name is given, and `general.quantization_version` (2, the
/// ggml block format version) is added to quantized outputs that lack it.
public struct Quantizer: Sendable {
    public let target: QuantizationTarget
    public let name: String?

    /// The tensor currently being written, for progress reports.
    public struct Progress: Sendable {
        public let index: Int
        public let count: Int
        public let name: String
        public let type: GGMLType
    }

    public static let embeddingTensorNames: Set<String> = ["token_embd.weight", "output.weight"]
    static let fileTypeKey = "general.file_type"
    static let nameKey = "general.name"
    static let quantizationVersionKey = "general.quantization_version"
    static let quantizationVersion: UInt32 = 2

    public init(target: QuantizationTarget, name: String? = nil) {
        self.target = target
        self.name = name
    }

    /// The type `info` is written in.
    public func outputType(for info: GGUFTensorInfo) -> GGMLType {
        if info.dimensions.dropFirst().allSatisfy({ $0 == 1 }) { return .f32 }
        let chosen: GGMLType = target.isLowBit && Quantizer.embeddingTensorNames.contains(info.name) ? .q8_0 : target.tensorType
        return info.dimensions[0] % chosen.blockSize == 0 ? chosen : .f16
    }

    /// Reads `input`, re-encodes it and writes `output` atomically (nothing is left under
    /// `output` on error).
    public func quantize(
        input: URL, output: URL, progress: (Progress) -> Void = { _ in }
    ) throws -> QuantizationSummary {
        let source = try GGUFFile(contentsOf: input)
        let (writer, summary) = try quantize(source, progress: progress)
        try writer.write(to: output)
        return summary
    }

    /// The output file of `source`, ready to write, and what was done.
    public func quantize(
        _ source: GGUFFile, progress: (Progress) -> Void = { _ in }
    ) throws -> (GGUFWriter, QuantizationSummary) {
        var writer = GGUFWriter(alignment: source.alignment)
        for key in source.metadataKeys {
            guard let value = source.metadata[key] else { continue }
            writer.set(key, value)
        }
        writer.set(Quantizer.fileTypeKey, .uint32(target.fileType))
        if let name { writer.set(Quantizer.nameKey, .string(name)) }
        if target.tensorType.isQuantized, source.metadata[Quantizer.quantizationVersionKey] == nil {
            writer.set(Quantizer.quantizationVersionKey, .uint32(Quantizer.quantizationVersion))
        }

        var tensorTypes: [(name: String, type: GGMLType)] = []
        var converted = 0, copied = 0
        var dequantizedSources: [GGMLType: Int] = [:]
        var keptAtQ8_0: [String] = [], fellBackToF16: [String] = []
        for (index, info) in source.tensors.enumerated() {
            let type = outputType(for: info)
            progress(Progress(index: index, count: source.tensors.count, name: info.name, type: type))
            let data: [UInt8]
            if type == info.type {
                data = Array(source.tensorBytes(info))
                copied += 1
            } else {
                if info.type.isQuantized { dequantizedSources[info.type, default: 0] += 1 }
                data = try TensorCodec.quantize(try source.floats(info), to: type)
                converted += 1
            }
            if type == .q8_0 && target.isLowBit { keptAtQ8_0.append(info.name) }
            if type == .f16 && target.tensorType != .f16 { fellBackToF16.append(info.name) }
            try writer.addTensor(name: info.name, dimensions: info.dimensions, type: type, data: data)
            tensorTypes.append((info.name, type))
        }
        let summary = QuantizationSummary(
            target: target, tensorTypes: tensorTypes, convertedCount: converted, copiedCount: copied,
            dequantizedSources: dequantizedSources, keptAtQ8_0: keptAtQ8_0, fellBackToF16: fellBackToF16,
            inputBytes: source.fileSize, outputBytes: writer.byteCount)
        return (writer, summary)
    }
}
