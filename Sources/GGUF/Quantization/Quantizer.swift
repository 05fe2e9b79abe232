import Foundation

/// Re-encodes a GGUF model's tensors into a target type (`assay quantize`).
///
/// Which type each tensor gets, following llama.cpp's common practice (llama-quant.cpp). The
/// K-quant mixtures (q2_k to q6_k) choose per tensor as llama.cpp does (`KQuantMixture`); the
/// uniform targets:
/// - 1-D tensors (norms, biases) stay F32: they are tiny and precision-critical.
/// - For 4- and 5-bit targets, `token_embd.weight` and `output.weight` get Q8_0: errors there hit
///   every logit directly (llama.cpp uses Q6_K where rows fill 256-element super-blocks and Q8_0
///   where they do not, as in SmolLM2), and tied-embedding models reuse the embedding as the output.
/// - Matrices whose rows are not whole 32-element blocks get F16 (llama.cpp also falls back).
/// - Every other matrix gets the target type, except that with an importance matrix the first
///   eighth of `ffn_down` gets Q4_1 for q4_0 and Q5_1 for q5_0 (llama.cpp's guard for those layers).
///
/// With an importance matrix (`ImportanceMatrix`), each matrix it has an entry for is encoded with
/// its column weights, and the output records the file, its dataset and entry and chunk counts
/// under llama-quantize's `quantize.imatrix.*` keys.
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
    public let importance: ImportanceMatrix?
    /// Where `importance` was read from, for the output's metadata.
    public let importancePath: String?

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

    static let importanceFileKey = "quantize.imatrix.file"
    static let importanceDatasetKey = "quantize.imatrix.dataset"
    static let importanceEntriesKey = "quantize.imatrix.entries_count"
    static let importanceChunksKey = "quantize.imatrix.chunks_count"

    public init(target: QuantizationTarget, name: String? = nil, importance: ImportanceMatrix? = nil, importancePath: String? = nil) {
        self.target = target
        self.name = name
        self.importance = importance
        self.importancePath = importancePath
    }

    /// The type each of `tensors` is written in: one rule per tensor for the uniform targets, the
    /// whole model's layout for the K-quant mixtures. `queryHeadsPerKeyHead` is the model's grouped-query factor.
    public func outputTypes(for tensors: [GGUFTensorInfo], queryHeadsPerKeyHead: Int = 1) -> [GGMLType] {
        if target.isKQuantMixture {
            return KQuantMixture(target: target, queryHeadsPerKeyHead: queryHeadsPerKeyHead).types(for: tensors)
        }
        let downCount = tensors.filter { $0.name.contains("ffn_down") }.count
        var downIndex = 0
        return tensors.map { info in
            var type = outputType(for: info)
            if info.name.contains("ffn_down") {
                let layer = KQuantMixture.layer(of: info.name) ?? downIndex
                downIndex += 1
                if importance != nil, layer < downCount / 8, type == .q4_0 || type == .q5_0 { type = type == .q4_0 ? .q4_1 : .q5_1 }
            }
            return type
        }
    }

    /// The type `info` is written in, for a uniform target.
    func outputType(for info: GGUFTensorInfo) -> GGMLType {
        if info.dimensions.dropFirst().allSatisfy({ $0 == 1 }) { return .f32 }
        let chosen: GGMLType = target.isLowBit && Quantizer.embeddingTensorNames.contains(info.name) ? .q8_0 : target.tensorType
        return info.dimensions[0] % chosen.blockSize == 0 ? chosen : .f16
    }

    /// llama.cpp's n_gqa: `ARCH.attention.head_count` over `ARCH.attention.head_count_kv` (1 when either is missing).
    static func queryHeadsPerKeyHead(_ metadata: [String: GGUFValue]) -> Int {
        guard let architecture = metadata["general.architecture"]?.string,
            let heads = metadata["\(architecture).attention.head_count"]?.int,
            let keyHeads = metadata["\(architecture).attention.head_count_kv"]?.int, keyHeads > 0
        else { return 1 }
        return heads / keyHeads
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
        let weightedTensors = try importanceWeights(for: source.tensors)
        if let importance {
            if let importancePath { writer.set(Quantizer.importanceFileKey, .string(importancePath)) }
            if let dataset = importance.datasets.first { writer.set(Quantizer.importanceDatasetKey, .string(dataset)) }
            writer.set(Quantizer.importanceEntriesKey, .int32(Int32(clamping: importance.entries.count)))
            if importance.chunkCount > 0 { writer.set(Quantizer.importanceChunksKey, .int32(Int32(clamping: importance.chunkCount))) }
        }

        var tensorTypes: [(name: String, type: GGMLType)] = []
        var converted = 0
        var copied = 0
        var dequantizedSources: [GGMLType: Int] = [:]
        var keptAtQ8_0: [String] = []
        var fellBackToF16: [String] = []
        let types = outputTypes(for: source.tensors, queryHeadsPerKeyHead: Quantizer.queryHeadsPerKeyHead(source.metadata))
        for (info, type) in zip(source.tensors, types) {
            if type == info.type {
                copied += 1
            } else {
                if info.type.isQuantized { dequantizedSources[info.type, default: 0] += 1 }
                converted += 1
            }
            if type == .q8_0 && target.isLowBit { keptAtQ8_0.append(info.name) }
            if type == .f16 && target.tensorType != .f16 { fellBackToF16.append(info.name) }
            let weights = weightedTensors[info.name]
            try writer.addTensor(name: info.name, dimensions: info.dimensions, type: type) { emit in
                try Quantizer.encode(info, of: source, as: type, importance: weights, emit: emit)
            }
            tensorTypes.append((info.name, type))
        }
        let summary = QuantizationSummary(
            target: target, tensorTypes: tensorTypes, convertedCount: converted, copiedCount: copied,
            dequantizedSources: dequantizedSources, keptAtQ8_0: keptAtQ8_0, fellBackToF16: fellBackToF16,
            inputBytes: source.fileSize, outputBytes: writer.byteCount, weightedByImportance: weightedTensors.count)
        return (writer, summary)
    }

    /// The importance matrix's column weights for each tensor it has an entry for; an error when
    /// it matches none of them or a shape differs (a matrix computed for another model).
    func importanceWeights(for tensors: [GGUFTensorInfo]) throws -> [String: [Float]] {
        guard let importance else { return [:] }
        var weights: [String: [Float]] = [:]
        for info in tensors where info.dimensions.count >= 2 {
            weights[info.name] = try importance.weights(for: info.name, columns: info.dimensions[0])
        }
        guard !weights.isEmpty else {
            throw GGUFError(
                "the importance matrix has no entry for any tensor of this model (it has \(importance.entries.count) entries, "
                    + "such as \(importance.entries.keys.sorted().first?.quotedForMessage ?? "none")); compute one for this model with assay imatrix"
            )
        }
        return weights
    }

    /// Hands `emit` the tensor `info` of `source` encoded as `type`, a chunk of whole rows at a
    /// time: only one chunk's floats and encoded bytes are held, and each source chunk's pages are
    /// dropped once used. Bytes already in `type` are handed over unchanged.
    static func encode(
        _ info: GGUFTensorInfo, of source: GGUFFile, as type: GGMLType, importance: [Float]? = nil,
        chunkElements: Int = defaultChunkElements, emit: (UnsafeRawBufferPointer) throws -> Void
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
                if let importance {
                    try importance.withUnsafeBufferPointer {
                        try TensorCodec.quantize(UnsafeBufferPointer(chunkValues), to: type, into: chunkEncoded, importance: $0)
                    }
                } else {
                    try TensorCodec.quantize(UnsafeBufferPointer(chunkValues), to: type, into: chunkEncoded)
                }
                try emit(UnsafeRawBufferPointer(chunkEncoded))
            } else {
                try emit(chunk)
            }
            source.dropResidentPages(of: chunk)
        }
    }
}
