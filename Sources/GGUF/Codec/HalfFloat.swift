/// IEEE 754 binary16 and bfloat16 conversions, bit-exact with ggml's scalar reference
/// (round to nearest even), written out so they work where `Float16` is unavailable.
enum HalfFloat {
    /// Every binary16 bit pattern decoded once: decoding is then a table look-up.
    static let decodeTable: [Float] = (0...UInt16.max).map(decodeSlow)

    @inline(__always)
    static func decode(_ bits: UInt16) -> Float {
        decodeTable.withUnsafeBufferPointer { $0[Int(bits)] }
    }

    static func decodeSlow(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa * 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: magnitude.bitPattern | sign)
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (mantissa << 13))
        }
    }

    static func encode(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal half (or zero): shift the 24-bit significand, rounding to nearest even.
            guard halfExponent >= -10 else { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var rounded = significand >> shift
            let remainder = significand & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && rounded & 1 == 1) { rounded += 1 }
            return sign | UInt16(rounded)
        }
        var result = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        if remainder > 0x1000 || (remainder == 0x1000 && result & 1 == 1) { result += 1 }
        return sign | UInt16(result)
    }

    @inline(__always)
    static func decodeBrain(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// ggml's GGML_FP32_TO_BF16: NaNs stay quiet NaNs, everything else rounds to nearest even.
    static func encodeBrain(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 {
            return UInt16(bits >> 16) | 64
        }
        return UInt16((bits &+ (0x7FFF + ((bits >> 16) & 1))) >> 16)
    }
}
