import ArgumentParser
import AssayBenchmarks
import AssayEngine
import Foundation
import GGUF

struct BenchSyntheticModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic-model",
        abstract: "Write a random-weight GGUF at Llama-3.2-1B's shapes in llama.cpp's Q4_K_M mix, for benchmarks.",
        discussion: """
            The file has Llama-3.2-1B's shapes (16 layers, embedding 2048, feed-forward 8192, 32 query and 8 \
            key/value heads, tied embeddings), Q4_K weights with Q6_K where llama.cpp's Q4_K_M puts them, and \
            the tokenizer of --vocabulary (any GGUF with tokenizer metadata, e.g. llama.cpp's \
            ggml-vocab-llama-bpe.gguf, which is Llama 3's). The weights are random, so what it generates means \
            nothing, but llama.cpp and Assay read it alike: `assay bench engine --reference` compares them at \
            a size where memory bandwidth decides. --layers makes a shorter model with the same layer shapes.

            Example:
              assay bench synthetic-model /dev/shm/llama-1b-shapes.Q4_K_M.gguf --vocabulary ggml-vocab-llama-bpe.gguf
              assay bench engine --model /dev/shm/llama-1b-shapes.Q4_K_M.gguf --reference ~/llama.cpp/build/bin/llama-bench
            """
    )

    @Argument(help: "The GGUF file to write.")
    var output: String

    @Option(help: "A GGUF whose tokenizer the model gets.")
    var vocabulary: String

    @Option(help: "Transformer layers (Llama-3.2-1B has 16).")
    var layers: Int = SyntheticModel.Shape.llama32_1B.layers

    @Option(help: "The random weights' seed.")
    var seed: UInt64 = 1

    func run() throws {
        var shape = SyntheticModel.Shape.llama32_1B
        shape.layers = layers
        let vocabularyFile = try GGUFFile(contentsOf: URL(fileURLWithPath: vocabulary))
        let bytes = try SyntheticModel(shape: shape).write(to: URL(fileURLWithPath: output), vocabulary: vocabularyFile, seed: seed)
        print(
            "Wrote \(output): \(layers) layers at Llama-3.2-1B's shapes, Q4_K_M mix, random weights, "
                + String(format: "%.1f MB.", Double(bytes) / 1e6))
    }
}
