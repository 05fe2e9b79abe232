/// Reference (scalar Swift) conversion between ggml blocks and Float for every supported type.
///
/// These follow ggml's reference code (ggml-quants.c `dequantize_row_*`, `quantize_row_*_ref`)
/// and are the yardstick the engine's C kernels are tested against.
public enum TensorCodec {
    /// The values that `bytes` encodes as `count` elements of `type`.
    public static func dequantize(_ type: GGMLType, _ bytes: UnsafeRawBufferPointer, count: Int) throws -> [Float] {
        try checkSize(type, byteCount: bytes.count, count: count)
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            decode(type, bytes, into: output)
            initialized = count
        }
    }

    /// Decodes `output.count` elements of `type` into `output`.
    public static func dequantize(
        _ type: GGMLType, _ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>
    ) throws {
        try checkSize(type, byteCount: bytes.count, count: output.count)
        decode(type, bytes, into: output)
    }

    /// The bytes of `values` encoded as `type`.
    public static func quantize(_ values: [Float], to type: GGMLType) throws -> [UInt8] {
        // A count that is not whole blocks gets no bytes here and is rejected by the call below.
        var output = [UInt8](repeating: 0, count: type.byteCount(elements: values.count) ?? 0)
        try values.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBytes { try quantize(input, to: type, into: $0) }
        }
        return output
    }

    /// Encodes `values` as `type` into the first bytes of `output`, which must have room for them.
    /// With `importance` (an importance matrix's weight per column of a row), `values` is whole
    /// rows of that length and each value's rounding error counts by its column's weight.
    public static func quantize(
        _ values: UnsafeBufferPointer<Float>, to type: GGMLType, into output: UnsafeMutableRawBufferPointer,
        importance: UnsafeBufferPointer<Float>? = nil
    ) throws {
        guard let byteCount = type.byteCount(elements: values.count) else {
            throw GGUFError(
                "cannot encode \(values.count) values as \(type.name): "
                    + "the count must be a multiple of the block size \(type.blockSize)")
        }
        guard let encodeBlock = blockEncoder(for: type) else {
            throw GGUFError(
                "encoding to \(type.name) is not supported; "
                    + "choose one of " + encodableTypes.map(\.name).joined(separator: ", "))
        }
        if let importance, importance.isEmpty || values.count % importance.count != 0 || importance.count % type.blockSize != 0 {
            throw GGUFError(
                "cannot encode \(values.count) values with an importance matrix of \(importance.count) columns: "
                    + "give whole rows, of whole \(type.name) blocks")
        }
        guard byteCount <= output.count else {
            throw GGUFError(
                "cannot encode \(values.count) values as \(type.name) into \(output.count) bytes: "
                    + "they need \(byteCount) bytes")
        }
        guard let source = values.baseAddress, let target = output.baseAddress else { return }
        guard let importance, let columns = importance.baseAddress else {
            for block in 0..<values.count / type.blockSize {
                encodeBlock(source + block * type.blockSize, target + block * type.bytesPerBlock, nil)
            }
            return
        }
        let blocksPerRow = importance.count / type.blockSize
        for row in 0..<values.count / importance.count {
            let rowStart = source + row * importance.count
            let rowMeanSquare = meanSquare(rowStart, count: importance.count)
            for block in 0..<blocksPerRow {
                let blockImportance = BlockImportance(columns: columns + block * type.blockSize, rowMeanSquare: rowMeanSquare)
                encodeBlock(
                    rowStart + block * type.blockSize, target + (row * blocksPerRow + block) * type.bytesPerBlock, blockImportance)
            }
        }
    }

    /// The types `quantize` can produce.
    public static let encodableTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
    ]

    /// The reference dot product of one encoded row with `vector`, summed in Double.
    public static func dot(_ type: GGMLType, _ row: UnsafeRawBufferPointer, _ vector: [Float]) throws -> Float {
        let weights = try dequantize(type, row, count: vector.count)
        var sum = 0.0
        for (weight, value) in zip(weights, vector) { sum += Double(weight) * Double(value) }
        return Float(sum)
    }

    private static func checkSize(_ type: GGMLType, byteCount: Int, count: Int) throws {
        guard let needed = type.byteCount(elements: count) else {
            throw GGUFError(
                "cannot decode \(count) values of \(type.name): "
                    + "the count must be a multiple of the block size \(type.blockSize)")
        }
        guard needed <= byteCount else {
            throw GGUFError(
                "cannot decode \(count) values of \(type.name) from \(byteCount) bytes: "
                    + "they need \(needed) bytes")
        }
    }

    private static func decode(_ type: GGMLType, _ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        guard let source = bytes.baseAddress, let target = output.baseAddress else { return }
        let decodeBlock = blockDecoder(for: type)
        for block in 0..<output.count / type.blockSize {
            decodeBlock(source + block * type.bytesPerBlock, target + block * type.blockSize)
        }
    }
}
