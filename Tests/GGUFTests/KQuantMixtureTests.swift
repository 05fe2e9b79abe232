import AssayTestSupport
import Foundation
import Testing

@testable import GGUF

/// The K-quant mixtures: the type of every tensor against llama-quantize's (Tests/Fixtures/
/// kquant-mixture), and the Q4_K and Q6_K encoders against their decoders.
@Suite struct KQuantMixtureTests {
    @Test(arguments: [QuantizationTarget.q2_k, .q3_k_s, .q3_k_m, .q3_k_l, .q4_k_s, .q4_k_m, .q5_k_s, .q5_k_m, .q6_k])
    func everyTensorOfSmolLM2GetsTheTypeLlamaQuantizeGives(target: QuantizationTarget) throws {
        let url = SharedFiles.fixture("kquant-mixture/smollm2-\(target.rawValue).json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let rows = try #require(object["tensors"] as? [[String: Any]])
        let names = GGMLType.allCases.reduce(into: [String: GGMLType]()) { $0[$1.name] = $1 }
        var offset = 0
        var tensors: [GGUFTensorInfo] = []
        var expected: [GGMLType] = []
        for row in rows {
            let dimensions = try #require(row["dimensions"] as? [Int])
            let type = try #require(names[row["type"] as? String ?? ""])
            tensors.append(
                try #require(GGUFTensorInfo(name: row["name"] as? String ?? "", dimensions: dimensions, type: .f16, offset: offset)))
            offset += dimensions.reduce(2, *)
            expected.append(type)
        }
        // The fixture lists the tensors in llama-quantize's order (by layer); the mixture must not depend on it.
        for order in [tensors.indices.map { $0 }, tensors.indices.sorted { tensors[$0].name < tensors[$1].name }] {
            // SmolLM2 has 9 query heads over 3 key heads.
            let types = Quantizer(target: target).outputTypes(for: order.map { tensors[$0] }, queryHeadsPerKeyHead: 3)
            for (position, index) in order.enumerated() {
                #expect(
                    types[position] == expected[index],
                    "\(tensors[index].name): \(types[position].name), llama-quantize \(expected[index].name)")
            }
        }
        #expect(Set(expected).contains(.q8_0), "the fixture exercises the fallbacks too")
    }

    @Test func moreBitsPicksTheLayersLlamaCppPicks() {
        // 30 layers (SmolLM2): the first three, the last three, and every third from layer 5.
        let picked = (0..<30).filter { KQuantMixture.moreBits($0, 30) }
        #expect(picked == [0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 27, 28, 29])
    }

    @Test func q6KGivesEveryMatrixQ6KWhereRowsFillSuperBlocks() throws {
        let tensors = [
            GGUFTensorInfo(name: "token_embd.weight", dimensions: [512, 100], type: .f32, offset: 0),
            GGUFTensorInfo(name: "blk.0.attn_v.weight", dimensions: [512, 64], type: .f32, offset: 204_800),
            GGUFTensorInfo(name: "blk.0.ffn_down.weight", dimensions: [96, 512], type: .f32, offset: 335_872),
            GGUFTensorInfo(name: "blk.0.attn_norm.weight", dimensions: [512], type: .f32, offset: 532_480),
        ].compactMap { $0 }
        #expect(Quantizer(target: .q6_k).outputTypes(for: tensors) == [.q6_K, .q6_K, .q8_0, .f32])
    }

    /// Rows of 512 fill super-blocks, so every rule shows without fallbacks: 16 layers of Phi-3-like
    /// fused attention (counted with attn_v, as llama.cpp counts it), attn_output and ffn_down.
    @Test func theLayerRulesHoldWhereRowsFillSuperBlocks() throws {
        var tensors: [GGUFTensorInfo] = []
        for layer in 0..<16 {
            for name in ["attn_qkv", "attn_output", "ffn_up", "ffn_down"] {
                tensors.append(
                    try #require(
                        GGUFTensorInfo(
                            name: "blk.\(layer).\(name).weight", dimensions: [512, 512], type: .f32, offset: tensors.count * 1_048_576)))
            }
        }
        func types(_ target: QuantizationTarget, _ matrix: String, heads: Int = 1) -> [GGMLType] {
            let all = Quantizer(target: target).outputTypes(for: tensors, queryHeadsPerKeyHead: heads)
            return zip(tensors, all).filter { $0.0.name.contains(matrix) }.map(\.1)
        }
        #expect(types(.q2_k, "attn_qkv") == Array(repeating: .q3_K, count: 16))
        #expect(types(.q2_k, "attn_qkv", heads: 4) == Array(repeating: .q4_K, count: 16))
        #expect(types(.q2_k, "ffn_down") == Array(repeating: .q3_K, count: 16))
        #expect(types(.q2_k, "ffn_up") == Array(repeating: .q2_K, count: 16))
        #expect(types(.q3_k_m, "attn_qkv") == [.q5_K, .q5_K] + Array(repeating: .q4_K, count: 14))
        #expect(types(.q3_k_m, "ffn_down") == [.q5_K] + Array(repeating: .q4_K, count: 15))
        #expect(types(.q3_k_m, "attn_output") == Array(repeating: .q4_K, count: 16))
        #expect(types(.q3_k_l, "attn_output") == Array(repeating: .q5_K, count: 16))
        #expect(types(.q3_k_s, "ffn_down") == Array(repeating: .q3_K, count: 16))
        let moreBits = (0..<16).map { KQuantMixture.moreBits($0, 16) ? GGMLType.q6_K : .q4_K }
        #expect(types(.q4_k_m, "attn_qkv") == moreBits)
        #expect(types(.q4_k_m, "ffn_down") == moreBits)
        #expect(types(.q4_k_s, "attn_qkv") == Array(repeating: .q5_K, count: 4) + Array(repeating: .q4_K, count: 12))
        #expect(types(.q4_k_s, "ffn_down") == [.q5_K, .q5_K] + Array(repeating: .q4_K, count: 14))
    }

    /// Gaussian-like values (sums of uniforms), seeded, with a block of zeros and one of outliers.
    static func values(count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        var values = (0..<count).map { _ in (0..<4).map { _ in random.float(0, 1) }.reduce(0, +) - 2 }
        for i in 256..<512 { values[i] = 0 }
        values[600] = 40
        return values
    }

    @Test(arguments: [(GGMLType.q2_K, 0.45), (.q3_K, 0.24), (.q4_K, 0.12), (.q5_K, 0.06), (.q6_K, 0.03)])
    func encodedBlocksDecodeCloseToTheValues(type: GGMLType, relativeRMS: Double) throws {
        let values = Self.values(count: 256 * 64, seed: 11)
        let decoded = try TensorCodec.quantize(values, to: type).withUnsafeBytes {
            try TensorCodec.dequantize(type, $0, count: values.count)
        }
        let spread = (values.map { Double($0 * $0) }.reduce(0, +) / Double(values.count)).squareRoot()
        let rms = (zip(values, decoded).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(rms / spread < relativeRMS, "\(type.name): RMS error \(rms / spread) of the values' RMS")
        #expect(decoded[256..<512].allSatisfy { $0 == 0 }, "a block of zeros stays zero")
        #expect(abs(decoded[600] - 40) < 40 * 0.05, "an outlier keeps its size: \(decoded[600])")
        // Q4_K's fitted scales and minimums beat Q4_0's single symmetric scale on the same values.
        if type == .q4_K {
            let legacy = try TensorCodec.quantize(values, to: .q4_0).withUnsafeBytes {
                try TensorCodec.dequantize(.q4_0, $0, count: values.count)
            }
            let legacyRMS = (zip(values, legacy).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(values.count)).squareRoot()
            #expect(rms < legacyRMS, "Q4_K \(rms) against Q4_0 \(legacyRMS)")
        }
    }

    @Test(arguments: [GGMLType.q4_0, .q5_0, .q4_1, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func nonFiniteValuesDoNotTrap(type: GGMLType) throws {
        var values = [Float](repeating: 1, count: 256)
        values[3] = .nan
        values[7] = .infinity
        values[9] = -.infinity
        let bytes = try TensorCodec.quantize(values, to: type)
        #expect(bytes.count == 256 / type.blockSize * type.bytesPerBlock)
        let importance = [Float](repeating: 1, count: 256)
        let weighted = try [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            try values.withUnsafeBufferPointer { input in
                try importance.withUnsafeBufferPointer {
                    try TensorCodec.quantize(input, to: type, into: UnsafeMutableRawBufferPointer(buffer), importance: $0)
                }
            }
            initialized = bytes.count
        }
        #expect(weighted.count == bytes.count)
    }
}
