import Foundation

/// Re-encodes a GGUF model's tensors into a target type (`assay quantize`).
///
/// Which type each tensor gets, following llama.cpp's common practice (llama-quant.cpp). The
/// K-quant mixtures (q4_k_m, q6_k) choose per tensor as llama.cpp does (`KQuantMixture`); the
/// uniform targets:
/// - 1-D tensors (norms, biases) stay F32: they are tiny and precision-critical.
/// - For 4- and 5-bit targets, `token_embd.weight` and `output.weight` get Q8_0: errors there hit
///   every logit directly (llama.cpp uses Q6_K where rows fill 256-element super-blocks and Q8_0
///   where they do not, as in SmolLM2), and tied-embedding models reuse the embedding as the output.
/// - Matrices whose rows are not whole 32-element blocks get F16 (llama.cpp also falls back).
/// - Every other matrix gets the target type.
/// A tensor already in its chosen type is copied byte for byte; a quantized tensor in another
/// type is dequantized first (and counted in the summary: it carries both quantizations' error).
///
/// Memory does not grow with the model: the source is memory-mapped, each tensor is converted a
/// chunk of rows at a time as the writer streams it to disk, and the source pages of a finished
/// chunk are handed back to the kernel.
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
    /// About how many elements one chunk of a tensor holds (16 MiB as Float).
    static let defaultChunkElements = 1 << 22
    static let fileTypeKey = "general.file_type"
    static let nameKey = "general.name"
    static let quantizationVersionKey = "general.quantization_version"
    static let quantizationVersion: UInt32 = 2

    public init(target: QuantizationTarget, name: String? = nil) {
        self.target = target
        self.name = name
    }

    /// The type each of `tensors` is written in: one rule per tensor for the uniform targets, the
    /// whole model's layout for the K-quant mixtures.
    public func outputTypes(for tensors: [GGUFTensorInfo]) throws -> [GGMLType] {
        target.isKQuantMixture ? try KQuantMixture(target: target).types(for: tensors) : tensors.map(outputType)
    }

    /// The type `info` is written in, for a uniform target.
    func outputType(for info: GGUFTensorInfo) -> GGMLType {
        if info.dimensions.dropFirst().allSatisfy({ $0 == 1 }) { return .f32 }
        let chosen: GGMLType = target.isLowBit && Quantizer.embeddingTensorNames.contains(info.name) ? .q8_0 : target.tensorType
        return info.dimensions[0] % chosen.blockSize == 0 ? chosen : .f16
    }

    /// Reads `input`, re-encodes it and writes `output` atomically (nothing is left under
    /// `output` on error).
    public func quantize(
        input: URL, output: URL, progress: (Progress) -> Void = { _ in }
    ) throws -> QuantizationSummary {
        let source = try GGUFFile(contentsOf: input, storage: .mapped)
        let (writer, summary) = try quantize(source)
        try writer.write(to: output) { index in
            let (name, type) = summary.tensorTypes[index]
            progress(Progress(index: index, count: summary.tensorTypes.count, name: name, type: type))
        }
        return summary
    }

    /// The output file of `source`, ready to write (its tensors are converted as they are
    /// written), and what will be done.
    public func quantize(_ source: GGUFFile) throws -> (GGUFWriter, QuantizationSummary) {
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
        var converted = 0
        var copied = 0
        var dequantizedSources: [GGMLType: Int] = [:]
        var keptAtQ8_0: [String] = []
        var fellBackToF16: [String] = []
        for (info, type) in zip(source.tensors, try outputTypes(for: source.tensors)) {
            if type == info.type {
                copied += 1
            } else {
                if info.type.isQuantized { dequantizedSources[info.type, default: 0] += 1 }
                converted += 1
            }
            if type == .q8_0 && target.isLowBit { keptAtQ8_0.append(info.name) }
            if type == .f16 && target.tensorType != .f16 { fellBackToF16.append(info.name) }
            try writer.addTensor(name: info.name, dimensions: info.dimensions, type: type) { emit in
                try Quantizer.encode(info, of: source, as: type, emit: emit)
            }
            tensorTypes.append((info.name, type))
        }
        let summary = QuantizationSummary(
            target: target, tensorTypes: tensorTypes, convertedCount: converted, copiedCount: copied,
            dequantizedSources: dequantizedSources, keptAtQ8_0: keptAtQ8_0, fellBackToF16: fellBackToF16,
            inputBytes: source.fileSize, outputBytes: writer.byteCount)
        return (writer, summary)
    }

    /// Hands `emit` the tensor `info` of `source` encoded as `type`, a chunk of whole rows at a
    /// time: only one chunk's floats and encoded bytes are held, and each source chunk's pages are
    /// dropped once used. Bytes already in `type` are handed over unchanged.
    static func encode(
        _ info: GGUFTensorInfo, of source: GGUFFile, as type: GGMLType, chunkElements: Int = defaultChunkElements,
        emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let rowLength = info.dimensions[0]
        guard let encodedRowBytes = type.byteCount(elements: rowLength) else {
            throw GGUFError(
                "tensor \(info.name.quotedForMessage) has rows of \(rowLength) elements, "
                    + "not a multiple of the \(type.name) block size \(type.blockSize)")
        }
        let converts = type != info.type
        let rowsPerChunk = max(1, chunkElements / rowLength)
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: converts ? rowsPerChunk * rowLength : 0)
        defer { values.deallocate() }
        let encoded = UnsafeMutableRawBufferPointer.allocate(byteCount: converts ? rowsPerChunk * encodedRowBytes : 0, alignment: 64)
        defer { encoded.deallocate() }
        let bytes = source.tensorBytes(info)
        let sourceRowBytes = info.byteCount / info.rowCount
        for firstRow in stride(from: 0, to: info.rowCount, by: rowsPerChunk) {
            let rowCount = min(rowsPerChunk, info.rowCount - firstRow)
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[firstRow * sourceRowBytes..<(firstRow + rowCount) * sourceRowBytes])
            if converts {
                let chunkValues = UnsafeMutableBufferPointer(rebasing: values[..<(rowCount * rowLength)])
                try TensorCodec.dequantize(info.type, chunk, into: chunkValues)
                let chunkEncoded = UnsafeMutableRawBufferPointer(rebasing: encoded[..<(rowCount * encodedRowBytes)])
                try TensorCodec.quantize(UnsafeBufferPointer(chunkValues), to: type, into: chunkEncoded)
                try emit(UnsafeRawBufferPointer(chunkEncoded))
            } else {
                try emit(chunk)
            }
            source.dropResidentPages(of: chunk)
        }
    }
}
