import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

@Suite struct TensorCodecTests {
    #if !(os(macOS) && arch(x86_64))
        @Test func halfDecodingMatchesFloat16ForEveryBitPattern() {
            for bits in 0...UInt16.max {
                let expected = Float(Float16(bitPattern: bits))
                let decoded = HalfFloat.decode(bits)
                #expect(decoded.bitPattern == expected.bitPattern || (decoded.isNaN && expected.isNaN), "bits \(bits)")
            }
        }

        @Test func halfEncodingRoundsToNearestEvenLikeFloat16() {
            var random = SeededRandom(seed: 7)
            let specials: [Float] = [
                0, -0, 1, -1, 65504, 65519.99, 65520, 1e-8, 2.98e-8, 5.96e-8, 6.1e-5,
                .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
            ]
            let samples =
                specials
                + (0..<200_000).map { _ in
                    Float(bitPattern: UInt32.random(in: 0x2000_0000...0x4800_0000, using: &random)) * (Bool.random(using: &random) ? 1 : -1)
                }
            for value in samples {
                #expect(HalfFloat.encode(value) == Float16(value).bitPattern, "value \(value)")
            }
            #expect(HalfFloat.decode(HalfFloat.encode(.nan)).isNaN)
        }
    #endif

    @Test func brainFloatRoundsToNearestEven() {
        #expect(HalfFloat.encodeBrain(1) == 0x3F80)
        #expect(HalfFloat.encodeBrain(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, even stays
        #expect(HalfFloat.encodeBrain(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd rounds up
        #expect(HalfFloat.encodeBrain(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(HalfFloat.decodeBrain(HalfFloat.encodeBrain(.nan)).isNaN)
        #expect(HalfFloat.decodeBrain(0xC040) == -3)
    }

    /// Pins the nibble layout: low nibble = element j, high nibble = element j + 16.
    @Test func q4_0EncodesAnExactBlockWithGGMLLayout() throws {
        let values = (0..<32).map { Float($0 % 16 - 8) * 0.5 }  // largest magnitude -4 gives d = 0.5
        let bytes = try TensorCodec.quantize(values, to: .q4_0)
        let nibbles: [UInt8] = (0..<16).map { UInt8($0) | UInt8($0) << 4 }
        #expect(bytes == [0x00, 0x38] + nibbles)
        #expect(try bytes.withUnsafeBytes { try TensorCodec.dequantize(.q4_0, $0, count: 32) } == values)
    }

    /// Q5_1 keeps the fifth bit of element j in bit j of qh.
    @Test func q5_1EncodesAnExactBlockWithGGMLLayout() throws {
        let values = (0..<32).map { Float($0) * 0.25 - 1 }  // min -1, step 0.25: q = j
        let bytes = try TensorCodec.quantize(values, to: .q5_1)
        #expect(Array(bytes[0..<8]) == [0x00, 0x34, 0x00, 0xBC, 0x00, 0x00, 0xFF, 0xFF])
        let nibbles: [UInt8] = (0..<16).map { UInt8($0) | UInt8($0) << 4 }
        #expect(Array(bytes[8...]) == nibbles)
        #expect(try bytes.withUnsafeBytes { try TensorCodec.dequantize(.q5_1, $0, count: 32) } == values)
    }

    @Test func q8_0RoundsHalfAwayFromZero() throws {
        var values = [Float](repeating: 0, count: 32)
        values[0] = 127  // d = 1
        values[1] = 2.5
        values[2] = -2.5
        values[3] = 0.49
        let bytes = try TensorCodec.quantize(values, to: .q8_0)
        #expect(Array(bytes[0..<6]) == [0x00, 0x3C, 127, 3, UInt8(bitPattern: -3), 0])
    }

    @Test(arguments: TensorCodec.encodableTypes)
    func encodedRandomValuesDecodeWithinTheFormatsBound(type: GGMLType) throws {
        var random = SeededRandom(seed: UInt64(type.rawValue) + 1)
        for range: ClosedRange<Float> in [-1...1, 0.5...3, -1000...(-999), -1e-3...1e-3] {
            let original = random.floats(32 * 64, in: range)
            let decoded = try TensorCodec.quantize(original, to: type).withUnsafeBytes {
                try TensorCodec.dequantize(type, $0, count: original.count)
            }
            let (maxError, withinBound) = QuantizationErrorBound.check(type, original: original, decoded: decoded)
            #expect(
                withinBound,
                "\(type) on \(range): max error \(maxError) bound \(original.chunked32.map { QuantizationErrorBound.bound(type, block: $0) }.min()!)"
            )
        }
    }

    @Test(arguments: [GGMLType.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_1])
    func handPackedBlocksDecodeExactly(type: GGMLType) throws {
        var random = SeededRandom(seed: 99)
        let packed = HandPackedBlocks.tensor(type, blocks: 3, random: &random)
        #expect(packed.bytes.count == 3 * type.bytesPerBlock)
        let decoded = try packed.bytes.withUnsafeBytes { try TensorCodec.dequantize(type, $0, count: packed.values.count) }
        #expect(decoded == packed.values)
    }

    @Test func constantAndNonFiniteInputsEncodeWithoutTrapping() throws {
        for type in TensorCodec.encodableTypes {
            let count = max(32, type.blockSize)
            for values: [Float] in [
                Array(repeating: 0, count: count), Array(repeating: 3, count: count),
                [.nan] + Array(repeating: 1, count: count - 1), [.infinity, -.infinity] + Array(repeating: 1, count: count - 2),
            ] {
                let bytes = try TensorCodec.quantize(values, to: type)
                #expect(bytes.count == type.byteCount(elements: count))
            }
        }
        let constant = try TensorCodec.quantize(Array(repeating: 3, count: 32), to: .q4_1)
        #expect(try constant.withUnsafeBytes { try TensorCodec.dequantize(.q4_1, $0, count: 32) } == Array(repeating: 3, count: 32))
    }

    @Test func rejectsPartialBlocksShortBuffersAndUnencodableTypes() throws {
        #expect { try TensorCodec.quantize([1, 2, 3], to: .q8_0) } throws: {
            "\($0)".contains("multiple of the block size 32")
        }
        #expect { try TensorCodec.quantize(Array(repeating: 1, count: 256), to: .q8_1) } throws: {
            "\($0)".contains("encoding to Q8_1 is not supported")
        }
        #expect { try [UInt8](repeating: 0, count: 33).withUnsafeBytes { try TensorCodec.dequantize(.q8_0, $0, count: 32) } } throws: {
            "\($0)".contains("from 33 bytes: they need 34")
        }
    }

    /// The reference dot product the engine's kernels are tested against.
    @Test(arguments: GGMLType.allCases)
    func dotProductEqualsTheSumOverDecodedWeights(type: GGMLType) throws {
        var random = SeededRandom(seed: 5)
        let count = 512
        let row: [UInt8]
        if TensorCodec.encodableTypes.contains(type) {
            row = try TensorCodec.quantize(random.floats(count), to: type)
        } else {
            row = HandPackedBlocks.tensor(type, blocks: count / type.blockSize, random: &random).bytes
        }
        let vector = random.floats(count)
        let weights = try row.withUnsafeBytes { try TensorCodec.dequantize(type, $0, count: count) }
        var expected = 0.0
        for index in 0..<count { expected += Double(weights[index]) * Double(vector[index]) }
        let dot = try row.withUnsafeBytes { try TensorCodec.dot(type, $0, vector) }
        #expect(abs(Double(dot) - expected) <= 1e-6 * max(1, abs(expected)))
    }

    /// Issue 7: x_i = 0.1 + 2 cos(i), n = 4096; sqrt(sum of squared errors) / n.
    @Test func referenceSignalRoundTripErrorPerType() throws {
        let n = 4096
        let signal = (0..<n).map { Float(0.1 + 2 * cos(Double($0))) }
        var figures: [String] = []
        for type in TensorCodec.encodableTypes {
            let decoded = try TensorCodec.quantize(signal, to: type).withUnsafeBytes {
                try TensorCodec.dequantize(type, $0, count: n)
            }
            let sumOfSquares = zip(signal, decoded).reduce(0.0) { $0 + pow(Double($1.0 - $1.1), 2) }
            let error = sumOfSquares.squareRoot() / Double(n)
            figures.append("\(type.name)=\(String(format: "%.3e", error))")
            if [.q4_0, .q4_1, .q5_0, .q5_1].contains(type) { #expect(error < 0.002, "\(type)") }
            if type == .q8_0 { #expect(error < 1e-4) }
            if type == .f16 { #expect(error < 1e-5) }
        }
        print("reference-signal round-trip error sqrt(SSE)/n: " + figures.joined(separator: " "))
    }
}

extension Array where Element == Float {
    var chunked32: [ArraySlice<Float>] { stride(from: 0, to: count, by: 32).map { self[$0..<$0 + 32] } }
}
