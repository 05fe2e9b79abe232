import AssayTestSupport
import CKernels
import Foundation
import GGUF
import Testing

/// The C dot products of every block type against the reference `TensorCodec` (dequantize, then a
/// Double dot product), on every kernel level the CPU has (scalar, AVX2, AVX-512 VNNI).
@Suite(.serialized) struct KernelDotTests {
    static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    /// Encoded weights for `type`: via the reference quantizer where it exists, else random blocks
    /// with small, valid half-float scales (K-quants).
    static func weights(_ type: GGMLType, count: Int, random: inout SeededRandom) throws -> [UInt8] {
        if TensorCodec.encodableTypes.contains(type) {
            return try TensorCodec.quantize((0..<count).map { _ in random.float(-1, 1) }, to: type)
        }
        let blocks = count / type.blockSize
        var bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in UInt8.random(in: 0...255, using: &random) }
        for block in 0..<blocks {
            let base = block * type.bytesPerBlock
            // Half-float scales in [2^-10, 2^-6]: exponent bits 5...9, any mantissa, positive.
            let scaleOffsets =
                switch type {
                case .q2_K: [80, 82]
                case .q3_K: [108]
                case .q6_K: [208]
                default: [0, 2]
                }
            for offset in scaleOffsets {
                bytes[base + offset] = UInt8.random(in: 0...255, using: &random)
                bytes[base + offset + 1] = UInt8.random(in: 0x14...0x24, using: &random)
            }
        }
        return bytes
    }

    /// Every kernel level this CPU has (scalar always).
    static let levels: [Int32] = (Int32(CK_KERNELS_SCALAR)...ck_kernel_level()).map { $0 }

    @Test(arguments: types, levels)
    func dotMatchesReference(type: GGMLType, level: Int32) throws {
        ck_set_kernel_limit(level)
        defer { ck_set_kernel_limit(Int32(CK_KERNELS_BEST)) }
        var random = SeededRandom(seed: UInt64(type.rawValue) + 1)
        let count = 512
        for _ in 0..<20 {
            let weightBytes = try Self.weights(type, count: count, random: &random)
            let x = (0..<count).map { _ in random.float(-2, 2) }
            let reference = try weightBytes.withUnsafeBytes { try TensorCodec.dot(type, $0, x) }
            let weights = try weightBytes.withUnsafeBytes { try TensorCodec.dequantize(type, $0, count: count) }
            // The kernels quantize x to int8 per 32 values, or per 256 (Q8_K) for the K-quants: the
            // error is at most half a step (the block's largest |x| / 127) per value.
            let activationBlock = ck_activation_format(Int32(type.rawValue)) == CK_ACTIVATION_Q8_K ? 256 : 32
            var bound = 0.0
            var magnitude = 0.0
            for block in stride(from: 0, to: count, by: activationBlock) {
                let step = Double(x[block..<block + activationBlock].map(abs).max() ?? 0) / 127
                for i in block..<block + activationBlock {
                    if ck_type_uses_q8(Int32(type.rawValue)) != 0 { bound += abs(Double(weights[i])) * step / 2 }
                    magnitude += abs(Double(weights[i]) * Double(x[i]))
                }
            }
            var activation = [UInt8](repeating: 0, count: ck_activation_row_bytes(Int32(type.rawValue), Int32(count)))
            let result = weightBytes.withUnsafeBytes { w in
                activation.withUnsafeMutableBytes { a in
                    ck_prepare_activation(Int32(type.rawValue), x, a.baseAddress, Int32(count))
                    return ck_dot(Int32(type.rawValue), w.baseAddress, a.baseAddress, Int32(count))
                }
            }
            let error = abs(Double(result) - Double(reference))
            #expect(error <= bound * 1.001 + 1e-5 * magnitude, "\(type) at kernel level \(level): \(result) vs \(reference)")
        }
    }

    /// The int8 block kernels add in llama.cpp's order at every level, and the K-quant kernels in one
    /// fixed order, so all levels agree to the bit (activation rounding included).
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func int8KernelsAgreeToTheBitAtEveryLevel(type: GGMLType) throws {
        var random = SeededRandom(seed: 11)
        let count = 1024
        for _ in 0..<10 {
            let weightBytes = try Self.weights(type, count: count, random: &random)
            let x = (0..<count).map { _ in random.float(-3, 3) }
            var results: [UInt32] = []
            for level in Self.levels {
                ck_set_kernel_limit(level)
                defer { ck_set_kernel_limit(Int32(CK_KERNELS_BEST)) }
                var activation = [UInt8](repeating: 0, count: ck_activation_row_bytes(Int32(type.rawValue), Int32(count)))
                let result = weightBytes.withUnsafeBytes { w in
                    activation.withUnsafeMutableBytes { a in
                        ck_prepare_activation(Int32(type.rawValue), x, a.baseAddress, Int32(count))
                        return ck_dot(Int32(type.rawValue), w.baseAddress, a.baseAddress, Int32(count))
                    }
                }
                results.append(result.bitPattern)
            }
            #expect(Set(results).count == 1, "\(type): \(results.map { Float(bitPattern: $0) })")
        }
    }

    /// Several rows and tokens at once (the prefill kernels), and one token (decode, where Q4_K
    /// takes eight rows per call), give each pair what one dot gives it (and, for the block types,
    /// the portable level's bits), except the K-quant tokens that llama.cpp sums in its batched order: those give every
    /// level's same bits, and not a lone dot's. 19 rows: two full tiles of 8 and a short one.
    @Test(arguments: [GGMLType.f16, .q4_1, .q8_0, .q4_0, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K], levels)
    func matmulEqualsOneDotPerRowAndToken(type: GGMLType, level: Int32) throws {
        for tokens in [1, 17] { try matmulEqualsOneDotPerRowAndToken(type: type, level: level, tokens: tokens) }
    }

    private func matmulEqualsOneDotPerRowAndToken(type: GGMLType, level: Int32, tokens: Int) throws {
        ck_set_kernel_limit(level)
        defer { ck_set_kernel_limit(Int32(CK_KERNELS_BEST)) }
        var random = SeededRandom(seed: 7)
        // 524 columns: F16 sums whole 8s in lanes and the rest one by one, and both parts are covered.
        let (rows, columns) = (19, type == .f16 ? 524 : 512)
        let weightBytes = try Self.weights(type, count: rows * columns, random: &random)
        let inputs = (0..<tokens).map { _ in (0..<columns).map { _ in random.float(-1, 1) } }
        let rowBytes = ck_activation_row_bytes(Int32(type.rawValue), Int32(columns))
        var activations = [UInt8](repeating: 0, count: rowBytes * tokens)
        var output = [Float](repeating: .nan, count: rows * tokens)
        weightBytes.withUnsafeBytes { w in
            activations.withUnsafeMutableBytes { a in
                for (token, x) in inputs.enumerated() {
                    ck_prepare_activation(Int32(type.rawValue), x, a.baseAddress! + token * rowBytes, Int32(columns))
                }
                output.withUnsafeMutableBufferPointer { y in
                    ck_matmul(
                        Int32(type.rawValue), w.baseAddress, type.byteCount(elements: columns)!, Int32(columns),
                        0, Int32(rows), a.baseAddress, rowBytes, Int32(tokens), y.baseAddress, rows)
                }
                let batched = Int(ck_matmul_batched_tokens(Int32(type.rawValue), Int32(tokens)))
                var portable = [Float](repeating: .nan, count: rows * tokens)
                ck_set_kernel_limit(Int32(CK_KERNELS_SCALAR))
                portable.withUnsafeMutableBufferPointer { y in
                    ck_matmul(
                        Int32(type.rawValue), w.baseAddress, type.byteCount(elements: columns)!, Int32(columns),
                        0, Int32(rows), a.baseAddress, rowBytes, Int32(tokens), y.baseAddress, rows)
                }
                ck_set_kernel_limit(level)
                var differFromLoneDots = 0
                for token in 0..<tokens {
                    for row in 0..<rows {
                        let single = ck_dot(
                            Int32(type.rawValue), w.baseAddress! + row * type.byteCount(elements: columns)!,
                            a.baseAddress! + token * rowBytes, Int32(columns))
                        let value = output[token * rows + row]
                        // F16's portable dot sums in another order than its AVX2 lanes.
                        if type != .f16 {
                            #expect(value.bitPattern == portable[token * rows + row].bitPattern, "\(type) token \(token)")
                        }
                        if token < batched {
                            if value != single { differFromLoneDots += 1 }
                        } else {
                            #expect(value.bitPattern == single.bitPattern, "\(type) token \(token) row \(row)")
                        }
                    }
                }
                if batched > 0 { #expect(differFromLoneDots > 0, "\(type): the batched tokens summed as lone dots do") }
            }
        }
        let batchedInLlamaCpp = type == .q4_K ? 16 : [.q2_K, .q3_K, .q5_K, .q6_K].contains(type) ? 17 : 0
        #expect(ck_matmul_batched_tokens(Int32(type.rawValue), Int32(tokens)) == (tokens == 1 ? 0 : batchedInLlamaCpp))
    }

    static let orders = [Int32(CK_ORDER_AVX2), Int32(CK_ORDER_AVX512)]

    /// SiLU in both builds' orders: every level gives the same bits, the value is x / (1 + e^-x)
    /// within float rounding out to |x| = 100, past where exp leaves its plain scaling (|n| > 126),
    /// and the two orders do round differently.
    @Test func siluMatchesReferenceInBothOrders() {
        let inputs: [Float] = (0..<1000).map { -100 + Float($0) * 0.2 } + [0, -0.0, 88.7, -88.7, 1e-30, -1e-30]
        var byOrder: [[Float]] = []
        for lanes in Self.orders {
            var outputs: [[Float]] = []
            for level in Self.levels {
                ck_set_kernel_limit(level)
                defer { ck_set_kernel_limit(Int32(CK_KERNELS_BEST)) }
                var values = inputs
                ck_silu_mul(&values, [Float](repeating: 1, count: inputs.count), Int32(inputs.count), lanes)
                outputs.append(values)
            }
            for output in outputs.dropFirst() {
                #expect(output.map(\.bitPattern) == outputs[0].map(\.bitPattern), "order \(lanes)")
            }
            for (x, y) in zip(inputs, outputs[0]) {
                let expected = Double(x) / (1 + exp(-Double(x)))
                #expect(abs(Double(y) - expected) <= 1e-6 * abs(expected) + 1e-30, "order \(lanes), x \(x): \(y)")
            }
            byOrder.append(outputs[0])
        }
        let differing = zip(byOrder[0], byOrder[1]).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing > 0, "the AVX2 and AVX-512 orders gave the same bits for every input")
    }

    /// Attention over a half-precision cache against a Double softmax-and-sum on the same halves, at
    /// every kernel level and in both builds' orders, for a head size every order's vector loops
    /// cover (64) and one they do not all cover (72), alone and in a batch. 70 positions put the
    /// last 6 past the whole 64s that a lone token's 16-lane sum keeps in lanes.
    @Test(arguments: [64, 72], [Int32(0), 1])
    func attentionMatchesReference(headDimension: Int, batched: Int32) throws {
        for lanes in Self.orders {
            try attentionMatchesReference(headDimension: headDimension, batched: batched, lanes: lanes)
        }
    }

    private func attentionMatchesReference(headDimension: Int, batched: Int32, lanes: Int32) throws {
        var random = SeededRandom(seed: UInt64(headDimension))
        let positions = 70
        let stride = 2 * headDimension  // two heads per cached row, the first one read
        let query = (0..<headDimension).map { _ in random.float(-1, 1) }
        func halves(_ values: [Float]) -> [UInt16] {
            var stored = [UInt16](repeating: 0, count: values.count)
            ck_store_halves(values, &stored, Int32(values.count))
            return stored
        }
        let keys = halves((0..<positions * stride).map { _ in random.float(-1, 1) })
        let values = halves((0..<positions * stride).map { _ in random.float(-1, 1) })
        let scale = 1 / Float(headDimension).squareRoot()
        var scratch = [Float](repeating: .nan, count: ck_attention_scratch_floats(Int32(positions), Int32(headDimension)))
        var outputs: [[Float]] = []
        for level in Self.levels {
            ck_set_kernel_limit(level)
            defer { ck_set_kernel_limit(Int32(CK_KERNELS_BEST)) }
            var output = [Float](repeating: .nan, count: headDimension)
            ck_attention(
                query, keys, values, stride, Int32(positions), Int32(headDimension), scale, batched, lanes,
                &scratch, &output)
            outputs.append(output)
        }
        // Every level computes the same floats in the same order.
        for output in outputs.dropFirst() {
            #expect(output.map(\.bitPattern) == outputs[0].map(\.bitPattern), "order \(lanes)")
        }
        let output = outputs[0]

        let roundedQuery = halves(query).map { Double(Float(Float16(bitPattern: $0))) }
        func cached(_ table: [UInt16], _ position: Int, _ index: Int) -> Double {
            Double(Float(Float16(bitPattern: table[position * stride + index])))
        }
        let logits = (0..<positions).map { p in
            Double(scale) * (0..<headDimension).reduce(0.0) { $0 + roundedQuery[$1] * cached(keys, p, $1) }
        }
        let largest = logits.max() ?? 0
        let weights = logits.map { exp($0 - largest) }
        let total = weights.reduce(0, +)
        for index in 0..<headDimension {
            let expected = (0..<positions).reduce(0.0) { $0 + weights[$1] / total * cached(values, $1, index) }
            // The weights are rounded to halves (relative error 2^-11 each) before the sum.
            #expect(abs(Double(output[index]) - expected) < 2e-3, "head \(headDimension), order \(lanes), column \(index)")
        }
    }
}
