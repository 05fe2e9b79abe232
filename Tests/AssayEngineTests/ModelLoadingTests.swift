import AssayEngine
import AssaySupport
import GGUF
import Testing

/// Model files the engine must refuse with a clear message.
struct ModelLoadingTests {
    static func metadata(architecture: String) -> [String: GGUFValue] {
        [
            "general.architecture": .string(architecture), "\(architecture).block_count": .uint32(2),
            "\(architecture).embedding_length": .uint32(64), "\(architecture).feed_forward_length": .uint32(128),
            "\(architecture).attention.head_count": .uint32(4),
        ]
    }

    @Test func unsupportedArchitectureIsNamed() throws {
        let error = #expect(throws: AssayError.self) {
            try ModelConfiguration(metadata: Self.metadata(architecture: "gemma2"), source: "m.gguf")
        }
        #expect(error?.message.contains("'gemma2'") == true)
        #expect(error?.message.contains("m.gguf") == true)
    }

    @Test func llamaAndQwen2AreRecognised() throws {
        #expect(try ModelConfiguration(metadata: Self.metadata(architecture: "llama"), source: "m").architecture == .llama)
        let qwen = try ModelConfiguration(metadata: Self.metadata(architecture: "qwen2"), source: "m")
        #expect(qwen.architecture == .qwen2)
        #expect(qwen.headDimension == 16 && qwen.keyValueHeadCount == 4 && qwen.ropeFrequencyBase == 10000)
    }

    @Test func inconsistentHeadsAreRejected() throws {
        var metadata = Self.metadata(architecture: "llama")
        metadata["llama.attention.head_count_kv"] = .uint32(3)
        #expect(throws: AssayError.self) { try ModelConfiguration(metadata: metadata, source: "m") }
    }
}
