import AssayTestSupport

@testable import GGUF

/// Blocks of the types Assay decodes but does not encode (Q2_K ... Q6_K, Q8_1), packed here
/// from known scales and quants element by element (the inverse of ggml's layout, written from
/// each element's position), with the exact values they decode to.
enum HandPackedBlocks {
    struct Packed {
        var bytes: [UInt8]
        var values: [Float]
    }

    static func f16(_ value: Float) -> [UInt8] {
        let bits = HalfFloat.encode(value)
        return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
    }

    /// Scales that fp16 represents exactly, so the expected values are exact.
    static func exactScale(_ random: inout SeededRandom) -> Float {
        Float(Int.random(in: 1...64, using: &random)) / 1024
    }

    /// Q4_K (bits 4) or Q5_K (bits 5): 8 sub-blocks of 32 with 6-bit scales and mins.
    static func kQuant(bits: Int, random: inout SeededRandom) -> Packed {
        let d = exactScale(&random)
        let dmin = exactScale(&random)
        let scales = (0..<8).map { _ in UInt8.random(in: 0...63, using: &random) }
        let mins = (0..<8).map { _ in UInt8.random(in: 0...63, using: &random) }
        let quants = (0..<256).map { _ in UInt8.random(in: 0...UInt8((1 << bits) - 1), using: &random) }
        var packedScales = [UInt8](repeating: 0, count: 12)
        for j in 0..<4 {
            packedScales[j] = scales[j] | (scales[j + 4] >> 4) << 6
            packedScales[j + 4] = mins[j] | (mins[j + 4] >> 4) << 6
            packedScales[j + 8] = (scales[j + 4] & 0x0F) | (mins[j + 4] & 0x0F) << 4
        }
        var low = [UInt8](repeating: 0, count: 128)
        var high = [UInt8](repeating: 0, count: 32)
        var values: [Float] = []
        for i in 0..<256 {
            let subBlock = i / 32
            let group = i / 64
            let l = i % 32
            let nibble = quants[i] & 0x0F
            if subBlock % 2 == 0 { low[32 * group + l] |= nibble } else { low[32 * group + l] |= nibble << 4 }
            high[l] |= (quants[i] >> 4) << subBlock
            values.append(d * Float(scales[subBlock]) * Float(quants[i]) - dmin * Float(mins[subBlock]))
        }
        let bytes = f16(d) + f16(dmin) + packedScales + (bits == 5 ? high : []) + low
        return Packed(bytes: bytes, values: values)
    }

    /// Q6_K: 16 sub-blocks of 16 with signed 8-bit scales, quants 0...63 stored offset by 32.
    static func q6K(random: inout SeededRandom) -> Packed {
        let d = exactScale(&random)
        let scales = (0..<16).map { _ in Int8.random(in: -128...127, using: &random) }
        let quants = (0..<256).map { _ in UInt8.random(in: 0...63, using: &random) }
        var low = [UInt8](repeating: 0, count: 128)
        var high = [UInt8](repeating: 0, count: 64)
        var values: [Float] = []
        for i in 0..<256 {
            let half = i / 128
            let quarter = (i % 128) / 32
            let l = i % 32
            let lowIndex = 64 * half + l + (quarter % 2 == 1 ? 32 : 0)
            low[lowIndex] |= (quants[i] & 0x0F) << (quarter >= 2 ? 4 : 0)
            high[32 * half + l] |= (quants[i] >> 4) << (2 * quarter)
            values.append(d * Float(scales[i / 16]) * Float(Int(quants[i]) - 32))
        }
        let bytes = low + high + scales.map { UInt8(bitPattern: $0) } + f16(d)
        return Packed(bytes: bytes, values: values)
    }

    /// Q2_K: 16 sub-blocks of 16 with 4-bit scales and mins in one byte each, 2-bit quants in four
    /// planes of 32 per 128 elements.
    static func q2K(random: inout SeededRandom) -> Packed {
        let d = exactScale(&random)
        let dmin = exactScale(&random)
        let scales = (0..<16).map { _ in UInt8.random(in: 0...15, using: &random) }
        let mins = (0..<16).map { _ in UInt8.random(in: 0...15, using: &random) }
        let quants = (0..<256).map { _ in UInt8.random(in: 0...3, using: &random) }
        var packed = [UInt8](repeating: 0, count: 64)
        var values: [Float] = []
        for i in 0..<256 {
            let half = i / 128
            let plane = (i % 128) / 32
            let l = i % 32
            packed[32 * half + l] |= quants[i] << (2 * plane)
            values.append(d * Float(scales[i / 16]) * Float(quants[i]) - dmin * Float(mins[i / 16]))
        }
        let bytes = zip(scales, mins).map { $0 | $1 << 4 } + packed + f16(d) + f16(dmin)
        return Packed(bytes: bytes, values: values)
    }

    /// Q3_K: 16 sub-blocks of 16 with 6-bit scales stored plus 32, quants -4...3 as 2 low bits (the
    /// planes of Q2_K) and a high bit that is set for the values 0...3.
    static func q3K(random: inout SeededRandom) -> Packed {
        let d = exactScale(&random)
        let scales = (0..<16).map { _ in Int.random(in: -32...31, using: &random) }
        let quants = (0..<256).map { _ in Int.random(in: -4...3, using: &random) }
        var packedScales = [UInt8](repeating: 0, count: 12)
        for (index, scale) in scales.enumerated() {
            let stored = UInt8(scale + 32)
            packedScales[index % 8] |= (stored & 0x0F) << (index < 8 ? 0 : 4)
            packedScales[8 + index % 4] |= (stored >> 4) << (2 * (index / 4))
        }
        var highBits = [UInt8](repeating: 0, count: 32)
        var low = [UInt8](repeating: 0, count: 64)
        var values: [Float] = []
        for i in 0..<256 {
            let half = i / 128
            let plane = (i % 128) / 32
            let l = i % 32
            let stored = quants[i] + 4  // 0...7: bit 2 is the high bit
            low[32 * half + l] |= UInt8(stored & 3) << (2 * plane)
            highBits[l] |= UInt8(stored >> 2) << (4 * half + plane)
            values.append(d * Float(scales[i / 16]) * Float(quants[i]))
        }
        return Packed(bytes: highBits + low + packedScales + f16(d), values: values)
    }

    /// Q8_1: {f16 d, f16 s = d * sum(q), i8 q[32]}; decodes to q d.
    static func q8_1(random: inout SeededRandom) -> Packed {
        let d = exactScale(&random)
        let quants = (0..<32).map { _ in Int8.random(in: -127...127, using: &random) }
        let sum = quants.reduce(0) { $0 + Int($1) }
        let bytes = f16(d) + f16(d * Float(sum)) + quants.map { UInt8(bitPattern: $0) }
        return Packed(bytes: bytes, values: quants.map { Float($0) * d })
    }

    /// `blocks` blocks of `type` concatenated.
    static func tensor(_ type: GGMLType, blocks: Int, random: inout SeededRandom) -> Packed {
        var packed = Packed(bytes: [], values: [])
        for _ in 0..<blocks {
            let block: Packed
            switch type {
            case .q2_K: block = q2K(random: &random)
            case .q3_K: block = q3K(random: &random)
            case .q4_K: block = kQuant(bits: 4, random: &random)
            case .q5_K: block = kQuant(bits: 5, random: &random)
            case .q6_K: block = q6K(random: &random)
            case .q8_1: block = q8_1(random: &random)
            default: preconditionFailure("\(type) is encoded by TensorCodec, not packed by hand")
            }
            packed.bytes += block.bytes
            packed.values += block.values
        }
        return packed
    }
}
