/// Block decoders: one ggml block at `source` to `blockSize` floats at `target`.
/// Layouts from ggml-common.h; all multi-byte fields little-endian.
extension TensorCodec {
    typealias BlockDecoder = (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void

    static func blockDecoder(for type: GGMLType) -> BlockDecoder {
        switch type {
        case .f32: decodeF32
        case .f16: { source, target in target[0] = HalfFloat.decode(half(source, 0)) }
        case .bf16: { source, target in target[0] = HalfFloat.decodeBrain(half(source, 0)) }
        case .q4_0: decodeQ4_0
        case .q4_1: decodeQ4_1
        case .q5_0: decodeQ5_0
        case .q5_1: decodeQ5_1
        case .q8_0: { source, target in decodeQ8(source, quantsAt: 2, target) }
        case .q8_1: { source, target in decodeQ8(source, quantsAt: 4, target) }
        case .q2_K: decodeQ2_K
        case .q3_K: decodeQ3_K
        case .q4_K: decodeQ4_K
        case .q5_K: decodeQ5_K
        case .q6_K: decodeQ6_K
        }
    }

    @inline(__always)
    static func half(_ source: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    static func byte(_ source: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        source.load(fromByteOffset: offset, as: UInt8.self)
    }

    private static func decodeF32(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        target[0] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(as: UInt32.self)))
    }

    /// {f16 d; u8 qs[16]}: low nibble = element j, high nibble = element j+16; x = (q - 8) d.
    private static func decodeQ4_0(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        for j in 0..<16 {
            let packed = byte(source, 2 + j)
            target[j] = Float(Int(packed & 0x0F) - 8) * scale
            target[j + 16] = Float(Int(packed >> 4) - 8) * scale
        }
    }

    /// {f16 d; f16 m; u8 qs[16]}: x = q d + m.
    private static func decodeQ4_1(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        let minimum = HalfFloat.decode(half(source, 2))
        for j in 0..<16 {
            let packed = byte(source, 4 + j)
            target[j] = Float(packed & 0x0F) * scale + minimum
            target[j + 16] = Float(packed >> 4) * scale + minimum
        }
    }

    /// {f16 d; u32 qh; u8 qs[16]}: bit j of qh is the fifth bit of element j; x = (q - 16) d.
    private static func decodeQ5_0(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        let high = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for j in 0..<16 {
            let packed = byte(source, 6 + j)
            let low = Int(packed & 0x0F) | Int((high >> j) & 1) << 4
            let upper = Int(packed >> 4) | Int((high >> (j + 16)) & 1) << 4
            target[j] = Float(low - 16) * scale
            target[j + 16] = Float(upper - 16) * scale
        }
    }

    /// {f16 d; f16 m; u32 qh; u8 qs[16]}: x = q d + m.
    private static func decodeQ5_1(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        let minimum = HalfFloat.decode(half(source, 2))
        let high = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for j in 0..<16 {
            let packed = byte(source, 8 + j)
            let low = UInt32(packed & 0x0F) | ((high >> j) & 1) << 4
            let upper = UInt32(packed >> 4) | ((high >> (j + 16)) & 1) << 4
            target[j] = Float(low) * scale + minimum
            target[j + 16] = Float(upper) * scale + minimum
        }
    }

    /// {f16 d; [f16 s;] i8 qs[32]}: x = q d.
    private static func decodeQ8(_ source: UnsafeRawPointer, quantsAt start: Int, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        for j in 0..<32 {
            target[j] = Float(Int8(bitPattern: byte(source, start + j))) * scale
        }
    }

    /// The 6-bit scale and min of sub-block `j` (0..<8) from the 12 packed bytes of Q4_K / Q5_K
    /// (ggml's get_scale_min_k4).
    static func kQuantScaleAndMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(scales, j) & 63, byte(scales, j + 4) & 63)
        }
        let scale = (byte(scales, j + 4) & 0x0F) | ((byte(scales, j - 4) >> 6) << 4)
        let minimum = (byte(scales, j + 4) >> 4) | ((byte(scales, j) >> 6) << 4)
        return (scale, minimum)
    }

    /// {u8 scales[16]; u8 qs[64]; f16 d; f16 dmin}: 16 sub-blocks of 16, each with a 4-bit scale (low
    /// nibble) and min (high nibble); each 32-byte half of qs holds four 2-bit planes of 32 elements;
    /// x = d sc q - dmin m.
    private static func decodeQ2_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 80))
        let minScale = HalfFloat.decode(half(source, 82))
        let quants = source + 16
        for element in 0..<256 {
            let plane = element / 32
            let subBlock = element / 16
            let packed = byte(source, subBlock)
            let q = (byte(quants, 32 * (plane / 4) + element % 32) >> (2 * (plane % 4))) & 3
            target[element] = scale * Float(packed & 0x0F) * Float(q) - minScale * Float(packed >> 4)
        }
    }

    /// {u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d}: 16 sub-blocks of 16 with 6-bit scales stored
    /// minus 32 (low nibbles in bytes 0-7, two high bits each in bytes 8-11); 2-bit planes as Q2_K
    /// plus a third bit, bit `plane` of hmask[l]; x = d (sc - 32) (q - 4 * (1 - bit)).
    private static func decodeQ3_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 108))
        let highBits = source
        let quants = source + 32
        let scales = source + 96
        for element in 0..<256 {
            let plane = element / 32
            let subBlock = element / 16
            let low = subBlock < 8 ? byte(scales, subBlock) & 0x0F : byte(scales, subBlock - 8) >> 4
            let high = (byte(scales, 8 + subBlock % 4) >> (2 * (subBlock / 4))) & 3
            let subScale = Int(low | high << 4) - 32
            let q = Int((byte(quants, 32 * (plane / 4) + element % 32) >> (2 * (plane % 4))) & 3)
            let bit = (byte(highBits, element % 32) >> plane) & 1
            target[element] = scale * Float(subScale) * Float(q - (bit == 0 ? 4 : 0))
        }
    }

    /// The scales and minimums of the two sub-blocks of 32 in `group` (of four) of a Q4_K or Q5_K
    /// block: d1 and m1 for the low nibbles, d2 and m2 for the high ones.
    @inline(__always)
    private static func kQuantGroupScales(_ scale: Float, _ minScale: Float, _ scales: UnsafeRawPointer, _ group: Int)
        -> (Float, Float, Float, Float)
    {
        let (scaleLow, minLow) = kQuantScaleAndMin(scales, 2 * group)
        let (scaleHigh, minHigh) = kQuantScaleAndMin(scales, 2 * group + 1)
        return (scale * Float(scaleLow), minScale * Float(minLow), scale * Float(scaleHigh), minScale * Float(minHigh))
    }

    /// {f16 d; f16 dmin; u8 scales[12]; u8 qs[128]}: 8 sub-blocks of 32; each 32-byte group of qs
    /// holds two sub-blocks (low nibbles first); x = d sc q - dmin m.
    private static func decodeQ4_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        let minScale = HalfFloat.decode(half(source, 2))
        let scales = source + 4
        let quants = source + 16
        for group in 0..<4 {
            let (d1, m1, d2, m2) = kQuantGroupScales(scale, minScale, scales, group)
            let out = target + 64 * group
            for l in 0..<32 {
                let packed = byte(quants, 32 * group + l)
                out[l] = d1 * Float(packed & 0x0F) - m1
                out[l + 32] = d2 * Float(packed >> 4) - m2
            }
        }
    }

    /// {f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}: as Q4_K plus a fifth bit per element,
    /// bit 2g (low nibbles) and 2g+1 (high nibbles) of qh[l] for group g.
    private static func decodeQ5_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 0))
        let minScale = HalfFloat.decode(half(source, 2))
        let scales = source + 4
        let highBits = source + 16
        let quants = source + 48
        for group in 0..<4 {
            let (d1, m1, d2, m2) = kQuantGroupScales(scale, minScale, scales, group)
            let lowMask = UInt8(1) << (2 * group)
            let highMask = UInt8(2) << (2 * group)
            let out = target + 64 * group
            for l in 0..<32 {
                let packed = byte(quants, 32 * group + l)
                let high = byte(highBits, l)
                out[l] = d1 * Float(Int(packed & 0x0F) + (high & lowMask != 0 ? 16 : 0)) - m1
                out[l + 32] = d2 * Float(Int(packed >> 4) + (high & highMask != 0 ? 16 : 0)) - m2
            }
        }
    }

    /// {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}: two halves of 128 elements; x = d sc (q - 32).
    private static func decodeQ6_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>) {
        let scale = HalfFloat.decode(half(source, 208))
        for halfIndex in 0..<2 {
            let low = source + 64 * halfIndex
            let high = source + 128 + 32 * halfIndex
            let scales = source + 192 + 8 * halfIndex
            let out = target + 128 * halfIndex
            func subScale(_ index: Int) -> Float { Float(Int8(bitPattern: byte(scales, index))) }
            for l in 0..<32 {
                let subBlock = l / 16
                let h = byte(high, l)
                let q1 = Int((byte(low, l) & 0x0F) | ((h >> 0) & 3) << 4) - 32
                let q2 = Int((byte(low, l + 32) & 0x0F) | ((h >> 2) & 3) << 4) - 32
                let q3 = Int((byte(low, l) >> 4) | ((h >> 4) & 3) << 4) - 32
                let q4 = Int((byte(low, l + 32) >> 4) | ((h >> 6) & 3) << 4) - 32
                out[l] = scale * subScale(subBlock) * Float(q1)
                out[l + 32] = scale * subScale(subBlock + 2) * Float(q2)
                out[l + 64] = scale * subScale(subBlock + 4) * Float(q3)
                out[l + 96] = scale * subScale(subBlock + 6) * Float(q4)
            }
        }
    }
}
