import Testing

@testable import AssayExport

@Suite("Model families and precision")
struct ModelVariantTests {
    @Test(
        "The family is the name without its quantization tag",
        arguments: [
            ("smollm2 Q4_0", "Q4_0", "smollm2"),
            ("llama3.2:3b-instruct-q4_K_M", "Q4_K_M", "llama3.2:3b-instruct"),
            ("qwen2.5-0.5b-instruct-fp16", "FP16", "qwen2.5-0.5b-instruct"),
            ("mistral-small", nil, "mistral-small"),
            ("Q8_0", "Q8_0", "Q8_0"),
            ("bench-model-f16-1", "F16", "bench-model-1"),
            ("bench-model-q4-1", "Q4_1", "bench-model"),
            ("q4mini", "Q4_0", "q4mini"),
        ] as [(String, String?, String)])
    func family(name: String, quantization: String?, expected: String) {
        #expect(ModelVariant(modelName: name, quantization: quantization).family == expected)
    }

    @Test("Bits per weight order the variants; no recorded quantization counts as full precision")
    func precisionOrder() {
        let f16 = ModelVariant(modelName: "m F16", quantization: "F16")
        let q8 = ModelVariant(modelName: "m Q8_0", quantization: "Q8_0")
        let q4 = ModelVariant(modelName: "m", quantization: "Q4_K_M")
        let original = ModelVariant(modelName: "m", quantization: nil)
        #expect(f16.bits == 16 && q8.bits == 8 && q4.bits == 4 && original.bits == nil)
        #expect(f16.isMorePrecise(than: q8) && q8.isMorePrecise(than: q4) && original.isMorePrecise(than: f16))
        #expect(!q4.isMorePrecise(than: q4))
    }

    @Test("Titles add the quantization only when the name lacks it")
    func titles() {
        #expect(ModelVariant.title(model: "smollm2 Q4_0", quantization: "Q4_0") == "smollm2 Q4_0")
        #expect(ModelVariant.title(model: "phi3", quantization: "Q4_0") == "phi3 (Q4_0)")
        #expect(ModelVariant.title(model: "phi3", quantization: nil) == "phi3")
    }
}
