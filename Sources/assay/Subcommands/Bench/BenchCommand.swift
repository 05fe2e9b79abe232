import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time Assay's own components: the engine, and the hot paths on synthetic data.",
        discussion: """
        Build with `swift build -c release` first: debug builds are many times slower.

        Example:
          assay bench engine --model smollm2-135m --threads 2
          assay bench synthetic-model /dev/shm/llama-1b-shapes.Q4_K_M.gguf --vocabulary ggml-vocab-llama-bpe.gguf
          assay bench metrics --predictions 1000000
          assay bench review --predictions 1000000 --json
        """,
        subcommands: [BenchEngineCommand.self, BenchSyntheticModelCommand.self, BenchMetricsCommand.self, BenchReviewCommand.self]
    )
}
