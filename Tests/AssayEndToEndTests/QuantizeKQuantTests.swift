import AssayTestSupport
import Foundation
import Testing

/// `assay quantize --type q4_k_m` on SmolLM2's F16 file: llama-quantize's mixture of types, a file
/// that llama.cpp (through llama-cpp-python) loads and runs, and that the engine runs.
@Suite(.serialized)
struct QuantizeKQuantTests {
    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2's F16 file (scripts/prepare-tests)"))
    func q4KMFileHasLlamaCppsMixtureAndRunsInLlamaCppAndTheEngine() throws {
        let source = try #require(SharedFiles.smolLM2(quantizedAs: "F16"), "SmolLM2's F16 file is missing; run scripts/prepare-tests")
        let folder = try TemporaryFolder()
        let output = folder.path("smollm2-q4_k_m.gguf")
        let quantized = try AssayBinary.run(["quantize", source.path, output, "--type", "q4_k_m"])
        #expect(quantized.status == 0, "\(quantized.stderr)")
        // llama-quantize's Q4_K_M of the same file: 166 Q5_0, 61 F32, 16 Q4_K, 15 Q8_0, 14 Q6_K (Tests/Fixtures/kquant-mixture).
        #expect(quantized.stdout.contains("272 tensors (166 Q5_0, 61 F32, 16 Q4_K, 15 Q8_0, 14 Q6_K)"), "\(quantized.stdout)")

        let generated = try AssayBinary.run([
            "generate", "--model", output, "--prompt", "The capital of France is", "--max-tokens", "6", "--json",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let text = (try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])?["text"] as? String
        #expect(!(text ?? "").isEmpty)

        if let reason = LlamaCppServer.unavailableReason {
            #expect(!LlamaCppServer.isRequired, "llama-cpp-python is needed to load the file in llama.cpp: \(reason)")
            return
        }
        let script = """
            import json, sys
            from llama_cpp import Llama
            model = Llama(model_path=sys.argv[1], n_ctx=128, n_threads=2, verbose=False)
            out = model("The capital of France is", max_tokens=6, temperature=0)
            print(json.dumps(out["choices"][0]["text"]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, output]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "llama.cpp did not load or run the Q4_K_M file")
        let llamaText = try JSONSerialization.jsonObject(with: Data(printed.utf8), options: .fragmentsAllowed) as? String
        #expect(!(llamaText ?? "").isEmpty, "llama.cpp generated nothing: \(printed)")
    }
}
